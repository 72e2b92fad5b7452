// Resolver lists: syntax, comments, duplicates, errors with exact line numbers, and the refusal
// of special-purpose addresses.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "tests/unit/temp_file.h"

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include "targets/list_error.h"
#include "targets/resolver_list.h"

using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::parse_resolver_list;
using mxsentry::ResolverListOptions;

namespace {

using mxsentry::test::TempFile;

std::string error_of(std::string_view text, bool allow_private = false) {
  return mxsentry::test::list_error_of([&](std::string_view t) { parse_resolver_list(t, "list.txt", ResolverListOptions{allow_private}); }, text);
}

using mxsentry::test::ep;

}  // namespace

TEST_CASE("strip_comment removes comments and surrounding blanks", "[targets][resolver_list]") {
  CHECK(mxsentry::strip_comment("") == "");
  CHECK(mxsentry::strip_comment("   ") == "");
  CHECK(mxsentry::strip_comment("# only a comment") == "");
  CHECK(mxsentry::strip_comment("8.8.8.8") == "8.8.8.8");
  CHECK(mxsentry::strip_comment("  8.8.8.8  # google") == "8.8.8.8");
  CHECK(mxsentry::strip_comment("\t8.8.8.8\t\r") == "8.8.8.8");
  CHECK(mxsentry::strip_comment("8.8.8.8#x") == "8.8.8.8");
  CHECK(mxsentry::strip_comment("a b c # d") == "a b c");
  CHECK(mxsentry::strip_comment("\r") == "");
}

TEST_CASE("parse_resolver_list: comments, blanks and the address forms", "[targets][resolver_list]") {
  const std::string text =
      "# public resolvers\n"
      "\n"
      "8.8.8.8\n"
      "   1.1.1.1   # cloudflare\n"
      "\t9.9.9.9:5353\t\n"
      "2606:4700:4700::1111\n"
      "[2001:4860:4860::8888]:853   # with a port\n"
      "[2620:fe::fe]\n"
      "   # indented comment\n"
      "208.67.222.222\r\n"
      "  \n"
      "149.112.112.112";  // no newline at the end
  auto list = parse_resolver_list(text, "list.txt", {});
  CHECK(list.duplicates == 0);
  REQUIRE(list.resolvers.size() == 8);
  CHECK(list.resolvers[0] == ep("8.8.8.8"));
  CHECK(list.resolvers[1] == ep("1.1.1.1"));
  CHECK(list.resolvers[2] == ep("9.9.9.9:5353"));
  CHECK(list.resolvers[2].port == 5353);
  CHECK(list.resolvers[3] == ep("2606:4700:4700::1111"));
  CHECK(list.resolvers[4] == ep("[2001:4860:4860::8888]:853"));
  CHECK(list.resolvers[4].port == 853);
  CHECK(list.resolvers[5] == ep("2620:fe::fe"));
  CHECK(list.resolvers[6] == ep("208.67.222.222"));
  CHECK(list.resolvers[7] == ep("149.112.112.112"));
}

TEST_CASE("parse_resolver_list: empty input and comment-only input", "[targets][resolver_list]") {
  auto empty = parse_resolver_list("", "list.txt", {});
  CHECK(empty.resolvers.empty());
  CHECK(empty.duplicates == 0);
  auto comments = parse_resolver_list("# a\n\n   \n# b\n", "list.txt", {});
  CHECK(comments.resolvers.empty());
  CHECK(comments.duplicates == 0);
}

TEST_CASE("parse_resolver_list: duplicates are removed and counted", "[targets][resolver_list]") {
  const std::string text =
      "8.8.8.8\n"
      "1.1.1.1\n"
      "8.8.8.8:53\n"  // same as the first
      "8.8.8.8:54\n"  // a different port is a different resolver
      "8.8.8.8 # again\n"
      "2001:4860:4860::8888\n"
      "[2001:4860:4860:0::8888]:53\n"
      "[2001:4860:4860::8888]\n";
  auto list = parse_resolver_list(text, "list.txt", {});
  CHECK(list.duplicates == 4);
  REQUIRE(list.resolvers.size() == 4);
  CHECK(list.resolvers[0] == ep("8.8.8.8"));
  CHECK(list.resolvers[1] == ep("1.1.1.1"));
  CHECK(list.resolvers[2] == ep("8.8.8.8:54"));
  CHECK(list.resolvers[3] == ep("2001:4860:4860::8888"));
}

TEST_CASE("parse_resolver_list: a bad line is reported as source:LINE: reason", "[targets][resolver_list]") {
  CHECK(error_of("bogus") == "list.txt:1: bad IPv4 address 'bogus'");
  CHECK(error_of("8.8.8.8\n\n# comment\nbogus # trailing\n8.8.4.4\n") == "list.txt:4: bad IPv4 address 'bogus'");
  CHECK(error_of("8.8.8.8\n8.8.4.4:0\n") == "list.txt:2: bad port '0'");
  CHECK(error_of("8.8.8.8\n8.8.4.4:65536\n") == "list.txt:2: bad port '65536'");
  CHECK(error_of("\n\n\n[2001:db8::1\n") == "list.txt:4: missing ']' in '[2001:db8::1'");
  CHECK(error_of("8.8.8.8 1.1.1.1\n") == "list.txt:1: expected one address a line, got '8.8.8.8 1.1.1.1'");
  CHECK(error_of("8.8.8.8\n8.8.4.4\t9.9.9.9  # two\n") ==
        "list.txt:2: expected one address a line, got '8.8.4.4\t9.9.9.9'");
  // Windows line endings do not shift the numbers.
  CHECK(error_of("8.8.8.8\r\n1.1.1.1\r\nnope\r\n") == "list.txt:3: bad IPv4 address 'nope'");
  // The first bad line wins.
  CHECK(error_of("8.8.8.8\nbad1\nbad2\n") == "list.txt:2: bad IPv4 address 'bad1'");
}

TEST_CASE("parse_resolver_list: special-purpose addresses are refused unless allowed", "[targets][resolver_list]") {
  CHECK(error_of("8.8.8.8\n10.1.2.3\n") ==
        "list.txt:2: 10.1.2.3 is private (10.0.0.0/8); such addresses are probed only with --allow-private");
  CHECK(error_of("127.0.0.1:5353") ==
        "list.txt:1: 127.0.0.1 is loopback (127.0.0.0/8); such addresses are probed only with --allow-private");
  CHECK(error_of("# lab\n[::1]:5353\n") ==
        "list.txt:2: ::1 is loopback (::1/128); such addresses are probed only with --allow-private");
  CHECK(error_of("192.0.2.53") ==
        "list.txt:1: 192.0.2.53 is documentation (192.0.2.0/24); such addresses are probed only with --allow-private");
  CHECK(error_of("240.1.2.3") ==
        "list.txt:1: 240.1.2.3 is reserved (240.0.0.0/4); such addresses are probed only with --allow-private");
  CHECK(error_of("0.0.0.0") ==
        "list.txt:1: 0.0.0.0 is this network (0.0.0.0/8); such addresses are probed only with --allow-private");
  CHECK(error_of("[fe80::1]:53") ==
        "list.txt:1: fe80::1 is link-local (fe80::/10); such addresses are probed only with --allow-private");
  CHECK(error_of("255.255.255.255") ==
        "list.txt:1: 255.255.255.255 is broadcast (255.255.255.255); such addresses are probed only with "
        "--allow-private");
  CHECK(error_of("fd00::53") ==
        "list.txt:1: fd00::53 is unique local (fc00::/7); such addresses are probed only with --allow-private");

  const std::string lab = "127.0.0.1:5353\n10.0.0.1\n[::1]:5300\n192.0.2.1\n8.8.8.8\n127.0.0.1:5353\n";
  auto list = parse_resolver_list(lab, "lab.txt", ResolverListOptions{true});
  CHECK(list.duplicates == 1);
  REQUIRE(list.resolvers.size() == 5);
  CHECK(list.resolvers[0] == ep("127.0.0.1:5353"));
  CHECK(list.resolvers[1] == ep("10.0.0.1"));
  CHECK(list.resolvers[2] == ep("[::1]:5300"));
  CHECK(list.resolvers[3] == ep("192.0.2.1"));
  CHECK(list.resolvers[4] == ep("8.8.8.8"));

  // Syntax errors are still errors with allow_private.
  CHECK(error_of("127.0.0.1\nnonsense\n", true) == "list.txt:2: bad IPv4 address 'nonsense'");
}

TEST_CASE("load_resolver_list reads a file and names it in errors", "[targets][resolver_list]") {
  TempFile good("# list\n8.8.8.8\n1.1.1.1:5353\n8.8.8.8\n");
  auto list = mxsentry::load_resolver_list(good.path(), {});
  CHECK(list.duplicates == 1);
  REQUIRE(list.resolvers.size() == 2);
  CHECK(list.resolvers[0] == ep("8.8.8.8"));
  CHECK(list.resolvers[1] == ep("1.1.1.1:5353"));

  TempFile bad("8.8.8.8\n\n192.168.1.1\n");
  try {
    mxsentry::load_resolver_list(bad.path(), {});
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == bad.path() + ":3: 192.168.1.1 is private (192.168.0.0/16); such addresses are "
                                                "probed only with --allow-private");
  }

  const std::string missing = good.path() + ".does-not-exist";
  try {
    mxsentry::load_resolver_list(missing, {});
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == missing + ": cannot open the resolver list");
  }
}

// An editor's byte order mark made the first address an invisible "bad IPv4 address".
TEST_CASE("parse_resolver_list: a UTF-8 byte order mark at the start is skipped", "[targets]") {
  auto list = mxsentry::parse_resolver_list("\xEF\xBB\xBF" "8.8.8.8\n1.1.1.1\n", "list.txt", {});
  REQUIRE(list.resolvers.size() == 2);
  CHECK(list.resolvers[0] == *mxsentry::Endpoint::parse("8.8.8.8"));
}
