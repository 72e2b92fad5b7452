// Prefix lists (opt-out and IOC lists): syntax, errors naming source:line, and matching.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "tests/unit/temp_file.h"

#include <string>

#include "targets/ioc_list.h"
#include "targets/list_error.h"
#include "targets/prefix_list.h"

using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::parse_prefix_list;
using mxsentry::PrefixList;

namespace {

using mxsentry::test::TempFile;

std::string error_of(std::string_view text) {
  return mxsentry::test::list_error_of([&](std::string_view t) { parse_prefix_list(t, "opt-out.txt"); }, text);
}

using mxsentry::test::ep;

std::string match_of(const PrefixList& list, const char* address) {
  const auto* p = list.match(ep(address));
  return p ? p->to_string() : "none";
}

}  // namespace

TEST_CASE("parse_prefix_list: addresses, prefixes, comments", "[targets][prefix_list]") {
  auto list = parse_prefix_list(
      "# operators who opted out\n"
      "\n"
      "192.0.2.0/24   # a documentation network\n"
      "198.51.100.7\n"
      "\t2001:db8::/32\r\n"
      "2001:db8:ffff::1\n"
      "203.0.113.0/25",  // no newline at the end
      "opt-out.txt");
  CHECK(list.size() == 5);
  CHECK(match_of(list, "192.0.2.1") == "192.0.2.0/24");
  CHECK(match_of(list, "192.0.2.1:5353") == "192.0.2.0/24");  // the port does not matter
  CHECK(match_of(list, "198.51.100.7") == "198.51.100.7/32");
  CHECK(match_of(list, "198.51.100.8") == "none");
  CHECK(match_of(list, "2001:db8:1::53") == "2001:db8::/32");
  CHECK(match_of(list, "2001:db8:ffff::1") == "2001:db8:ffff::1/128");
  CHECK(match_of(list, "203.0.113.127") == "203.0.113.0/25");
  CHECK(match_of(list, "203.0.113.128") == "none");
  CHECK(match_of(list, "8.8.8.8") == "none");
  CHECK(parse_prefix_list("", "x").size() == 0);
  CHECK(match_of(parse_prefix_list("# nothing\n", "x"), "8.8.8.8") == "none");
}

TEST_CASE("PrefixList: the most specific prefix matches, equal prefixes keep the first", "[targets][prefix_list]") {
  PrefixList list;
  list.add(*mxsentry::parse_prefix("10.0.0.0/8"));
  list.add(*mxsentry::parse_prefix("10.1.0.0/16"));
  list.add(*mxsentry::parse_prefix("10.1.0.9/16"));  // the same /16, written with a host bit
  CHECK(list.size() == 3);
  CHECK(match_of(list, "10.2.0.1") == "10.0.0.0/8");
  CHECK(match_of(list, "10.1.0.1") == "10.1.0.0/16");
  list.add(*mxsentry::parse_prefix("0.0.0.0/0"));
  CHECK(match_of(list, "8.8.8.8") == "0.0.0.0/0");
  CHECK(match_of(list, "10.1.0.1") == "10.1.0.0/16");
  CHECK(match_of(list, "2001:db8::1") == "none");
  // Copies are independent.
  PrefixList copy = list;
  copy.add(*mxsentry::parse_prefix("::/0"));
  CHECK(match_of(copy, "2001:db8::1") == "::/0");
  CHECK(match_of(list, "2001:db8::1") == "none");
}

TEST_CASE("parse_prefix_list: a bad line is reported as source:line: reason", "[targets][prefix_list]") {
  CHECK(error_of("192.0.2.0/24\nbogus\n") == "opt-out.txt:2: bad IPv4 address 'bogus'");
  CHECK(error_of("192.0.2.0/33") == "opt-out.txt:1: bad prefix length in '192.0.2.0/33'");
  CHECK(error_of("\n\n2001:db8::/129\n") == "opt-out.txt:3: bad prefix length in '2001:db8::/129'");
  CHECK(error_of("192.0.2.0/") == "opt-out.txt:1: bad prefix length in '192.0.2.0/'");
  CHECK(error_of("192.0.2.0/x") == "opt-out.txt:1: bad prefix length in '192.0.2.0/x'");
  CHECK(error_of("192.0.2.0/24 extra") == "opt-out.txt:1: bad prefix length in '192.0.2.0/24 extra'");
  CHECK(error_of("2001:zz::/32") == "opt-out.txt:1: bad IPv6 address '2001:zz::'");
  CHECK(error_of("a\r\nb\r\n") == "opt-out.txt:1: bad IPv4 address 'a'");
}

TEST_CASE("A large prefix list is matched without scanning it", "[targets][prefix_list]") {
  // 200,000 single addresses (an IOC feed): a linear scan per lookup would take seconds here.
  std::string text;
  for (unsigned i = 0; i < 200000; ++i)
    text += "100." + std::to_string(64 + (i >> 16)) + "." + std::to_string((i >> 8) & 255) + "." +
            std::to_string(i & 255) + "\n";
  auto list = parse_prefix_list(text, "ioc.txt");
  CHECK(list.size() == 200000);
  std::size_t found = 0;
  for (unsigned i = 0; i < 200000; ++i) {
    Endpoint e;
    e.family = AF_INET;
    e.address = {100, static_cast<std::uint8_t>(64 + (i >> 16)), static_cast<std::uint8_t>((i >> 8) & 255),
                 static_cast<std::uint8_t>(i & 255)};
    found += list.match(e) != nullptr;
  }
  CHECK(found == 200000);
  CHECK(match_of(list, "100.67.13.64") == "none");  // i = 200000 is not listed
  CHECK(match_of(list, "100.67.13.63") == "100.67.13.63/32");
}

TEST_CASE("load_prefix_list and load_ioc_list read files and name them in errors", "[targets][prefix_list]") {
  TempFile good("# IOC feed\n203.0.113.0/24\n2001:db8:bad::/48\n");
  auto opt_out = mxsentry::load_prefix_list(good.path());
  auto ioc = mxsentry::load_ioc_list(good.path());
  CHECK(opt_out.size() == 2);
  CHECK(ioc.size() == 2);
  CHECK(match_of(ioc, "2001:db8:bad::66") == "2001:db8:bad::/48");

  TempFile bad("203.0.113.0/24\n\n203.0.113.0/40\n");
  try {
    mxsentry::load_ioc_list(bad.path());
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == bad.path() + ":3: bad prefix length in '203.0.113.0/40'");
  }
  const std::string missing = good.path() + ".does-not-exist";
  CHECK_THROWS_WITH(mxsentry::load_ioc_list(missing), missing + ": cannot open the IOC list");
  CHECK_THROWS_WITH(mxsentry::load_prefix_list(missing), missing + ": cannot open the prefix list");
}
