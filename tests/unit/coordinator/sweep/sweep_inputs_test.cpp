// A sweep's inputs from files: questions from a names file, resolvers from a resolver list.
#include <catch2/catch.hpp>

#include "tests/unit/temp_file.h"

#include <string>
#include <vector>

#include "coordinator/sweep/sweep_inputs.h"
#include "targets/list_error.h"

using namespace mxsentry;
using mxsentry::test::TempFile;

namespace {

template <typename Read>
std::string list_error(Read read) {
  try {
    read();
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError");
  return {};
}

}  // namespace

TEST_CASE("sweep inputs: a line's own type or each default type, names canonical", "[sweep]") {
  TempFile names("# mail hosts\nMX1.Example.COM\n\nmx2.example.com. MX  # with a type\nns.example.net AAAA\n");
  auto q = read_sweep_questions(names.path(), "A,AAAA");
  CHECK(q == std::vector<Question>{{"mx1.example.com.", 1},
                                   {"mx1.example.com.", 28},
                                   {"mx2.example.com.", 15},
                                   {"ns.example.net.", 28}});
  CHECK(read_sweep_questions(names.path(), "TXT") ==
        std::vector<Question>{{"mx1.example.com.", 16}, {"mx2.example.com.", 15}, {"ns.example.net.", 28}});
}

TEST_CASE("sweep inputs: a question repeated in the file is asked once", "[sweep]") {
  TempFile names("a.example\nA.EXAMPLE.\nb.example A\na.example AAAA\nb.example\n");
  CHECK(read_sweep_questions(names.path(), "A,AAAA,A") ==
        std::vector<Question>{{"a.example.", 1}, {"a.example.", 28}, {"b.example.", 1}, {"b.example.", 28}});
}

TEST_CASE("sweep inputs: an empty names file gives no questions", "[sweep]") {
  TempFile names("# nothing yet\n\n");
  CHECK(read_sweep_questions(names.path(), "A").empty());
}

TEST_CASE("sweep inputs: bad names, types and files are named", "[sweep]") {
  TempFile names("ok.example\nok.example FOO\n");
  CHECK(list_error([&] { read_sweep_questions(names.path(), "A"); }) ==
        names.path() + ":2: unknown record type 'FOO'");
  CHECK(list_error([&] { read_sweep_questions(names.path(), "A,BAR"); }) == "unknown record type 'BAR' in --types");
  CHECK(list_error([] { read_sweep_questions("/nonexistent/mxsentry/names.txt", "A"); }) ==
        "/nonexistent/mxsentry/names.txt: cannot open the name list");
}

TEST_CASE("sweep inputs: resolvers as address text, in file order, once each", "[sweep]") {
  TempFile plain("# resolvers\n8.8.8.8\n9.9.9.9:5353 kind=open country=CH\n[2620:fe::fe]:853\n2606:4700::1111\n8.8.8.8\n");
  CHECK(read_sweep_resolver_list(plain.path(), false).addresses ==
        std::vector<std::string>{"8.8.8.8", "9.9.9.9:5353", "[2620:fe::fe]:853", "2606:4700::1111"});
  // A public-resolvers CSV, parsed only: nothing here sends a packet.
  TempFile csv("ip_address,name,as_number,as_org,country_code\n1.1.1.1,one,13335,Cloudflare,US\n8.8.4.4,,15169,Google,US\n");
  CHECK(read_sweep_resolver_list(csv.path(), false).addresses == std::vector<std::string>{"1.1.1.1", "8.8.4.4"});
}

TEST_CASE("sweep inputs: private resolvers only when allowed", "[sweep]") {
  TempFile lab("127.0.0.1:5300\n10.0.0.53\n");
  CHECK(read_sweep_resolver_list(lab.path(), true).addresses == std::vector<std::string>{"127.0.0.1:5300", "10.0.0.53"});
  std::string error = list_error([&] { read_sweep_resolver_list(lab.path(), false); });
  CHECK(error.rfind(lab.path() + ":1: 127.0.0.1 is ", 0) == 0);
  CHECK_THROWS_AS(read_sweep_resolver_list("/nonexistent/mxsentry/resolvers.txt", true), ListError);
}
