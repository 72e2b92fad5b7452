// Resolver catalogs, plain format: addresses with key=value tags, format detection, duplicates,
// and errors naming source:line.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "tests/unit/temp_file.h"

#include <string>

#include "targets/list_error.h"
#include "targets/resolver_catalog.h"

using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::parse_resolver_catalog;
using mxsentry::ResolverListOptions;

namespace {

using mxsentry::test::TempFile;

std::string error_of(std::string_view text, bool allow_private = false) {
  return mxsentry::test::list_error_of([&](std::string_view t) { parse_resolver_catalog(t, "cat.txt", ResolverListOptions{allow_private}); }, text);
}

using mxsentry::test::ep;

}  // namespace

TEST_CASE("resolver catalog: the plain resolver-list syntax still works", "[targets][resolver_catalog]") {
  auto catalog = parse_resolver_catalog(
      "# public resolvers\n\n8.8.8.8\n  1.1.1.1  # cloudflare\n9.9.9.9:5353\n[2620:fe::fe]:853\n2606:4700::1111\r\n",
      "cat.txt", {});
  CHECK(catalog.duplicates == 0);
  REQUIRE(catalog.resolvers.size() == 5);
  CHECK(catalog.resolvers[0].address == ep("8.8.8.8"));
  CHECK(catalog.resolvers[1].address == ep("1.1.1.1"));
  CHECK(catalog.resolvers[2].address == ep("9.9.9.9:5353"));
  CHECK(catalog.resolvers[3].address == ep("[2620:fe::fe]:853"));
  CHECK(catalog.resolvers[4].address == ep("2606:4700::1111"));
  for (const auto& r : catalog.resolvers) {
    CHECK(r.kind.empty());
    CHECK(r.country.empty());
    CHECK(r.asn == 0);
    CHECK(r.as_org.empty());
    CHECK(r.name.empty());
  }
}

TEST_CASE("resolver catalog: tags after the address", "[targets][resolver_catalog]") {
  auto catalog = parse_resolver_catalog(
      "8.8.8.8 kind=open country=us asn=15169 as_org=\"Google LLC\" name=dns.google  # tagged\n"
      "194.25.2.129\tkind=ISP\tcountry=DE\tasn=AS3320\n"
      "[2001:4860:4860::8888]:5353 name=\"dns #2\" as_org=Google\n"
      "9.9.9.9 asn=4200000000\n"
      "1.1.1.1 name=x\"y z\"\n",  // quotes may start inside a value
      "cat.txt", {});
  REQUIRE(catalog.resolvers.size() == 5);
  const auto& google = catalog.resolvers[0];
  CHECK(google.address == ep("8.8.8.8"));
  CHECK(google.address.port == 53);
  CHECK(google.kind == "open");
  CHECK(google.country == "US");
  CHECK(google.asn == 15169);
  CHECK(google.as_org == "Google LLC");
  CHECK(google.name == "dns.google");
  const auto& telekom = catalog.resolvers[1];
  CHECK(telekom.kind == "isp");
  CHECK(telekom.country == "DE");
  CHECK(telekom.asn == 3320);
  CHECK(telekom.name.empty());
  const auto& v6 = catalog.resolvers[2];
  CHECK(v6.address == ep("[2001:4860:4860::8888]:5353"));
  CHECK(v6.name == "dns #2");  // a '#' inside quotes is no comment
  CHECK(v6.as_org == "Google");
  CHECK(catalog.resolvers[3].asn == 4200000000u);
  CHECK(catalog.resolvers[4].name == "xy z");
}

TEST_CASE("resolver catalog: duplicates keep the first line's tags", "[targets][resolver_catalog]") {
  auto catalog =
      parse_resolver_catalog("8.8.8.8 country=US\n8.8.8.8:53 country=DE\n8.8.8.8:54\n8.8.8.8\n", "cat.txt", {});
  CHECK(catalog.duplicates == 2);
  REQUIRE(catalog.resolvers.size() == 2);
  CHECK(catalog.resolvers[0].country == "US");
  CHECK(catalog.resolvers[1].address == ep("8.8.8.8:54"));
}

TEST_CASE("resolver catalog: empty and comment-only input", "[targets][resolver_catalog]") {
  CHECK(parse_resolver_catalog("", "cat.txt", {}).resolvers.empty());
  auto comments = parse_resolver_catalog("# a\n\n  # b, with a comma\n", "cat.txt", {});
  CHECK(comments.resolvers.empty());
  CHECK(comments.duplicates == 0);
}

TEST_CASE("resolver catalog: bad tags are reported as source:line: reason", "[targets][resolver_catalog]") {
  CHECK(error_of("8.8.8.8\n1.1.1.1 colour=blue\n") ==
        "cat.txt:2: unknown tag 'colour' (known: kind, country, asn, as_org, name)");
  CHECK(error_of("8.8.8.8 1.1.1.1\n") == "cat.txt:1: expected key=value after the address, got '1.1.1.1'");
  CHECK(error_of("8.8.8.8 kind=open kind=isp\n") == "cat.txt:1: tag 'kind' given twice");
  CHECK(error_of("8.8.8.8 kind=\n") == "cat.txt:1: empty value for tag 'kind'");
  CHECK(error_of("8.8.8.8 name=\"\"\n") == "cat.txt:1: empty value for tag 'name'");
  CHECK(error_of("8.8.8.8 kind=public\n") == "cat.txt:1: bad kind 'public' (expected open or isp)");
  CHECK(error_of("\n8.8.8.8 country=USA\n") ==
        "cat.txt:2: bad country 'USA' (expected a two-letter ISO 3166 code such as DE)");
  CHECK(error_of("8.8.8.8 country=1A\n") ==
        "cat.txt:1: bad country '1A' (expected a two-letter ISO 3166 code such as DE)");
  CHECK(error_of("8.8.8.8 asn=x\n") == "cat.txt:1: bad asn 'x' (expected an AS number such as 3320 or AS3320)");
  CHECK(error_of("8.8.8.8 asn=4294967296\n") ==
        "cat.txt:1: bad asn '4294967296' (expected an AS number such as 3320 or AS3320)");
  CHECK(error_of("8.8.8.8 asn=-1\n") == "cat.txt:1: bad asn '-1' (expected an AS number such as 3320 or AS3320)");
  CHECK(error_of("8.8.8.8 asn=AS\n") == "cat.txt:1: bad asn 'AS' (expected an AS number such as 3320 or AS3320)");
  CHECK(error_of("8.8.8.8 name=\"open\n") == "cat.txt:1: unterminated quote in '8.8.8.8 name=\"open'");
  CHECK(error_of("8.8.8.8 name=\"a\x01\"\n") == "cat.txt:1: control character in name");
  CHECK(error_of("8.8.8.8 =open\n") ==
        "cat.txt:1: unknown tag '' (known: kind, country, asn, as_org, name)");
}

TEST_CASE("resolver catalog: address errors are resolver_list's", "[targets][resolver_catalog]") {
  CHECK(error_of("8.8.8.8\nbogus kind=open\n") == "cat.txt:2: bad IPv4 address 'bogus'");
  CHECK(error_of("8.8.4.4:0") == "cat.txt:1: bad port '0'");
  CHECK(error_of("[2001:4860::1 kind=open") == "cat.txt:1: missing ']' in '[2001:4860::1'");
  CHECK(error_of("8.8.8.8\n10.0.0.1 kind=isp\n") ==
        "cat.txt:2: 10.0.0.1 is private (10.0.0.0/8); such addresses are probed only with --allow-private");
  CHECK(error_of("[::1]:5353") ==
        "cat.txt:1: ::1 is loopback (::1/128); such addresses are probed only with --allow-private");
  auto lab = parse_resolver_catalog("127.0.0.1:5353 kind=isp\n10.0.0.1\n", "cat.txt", ResolverListOptions{true});
  REQUIRE(lab.resolvers.size() == 2);
  CHECK(lab.resolvers[0].kind == "isp");
}

TEST_CASE("resolver catalog: a comma-separated first line needs an ip_address header",
          "[targets][resolver_catalog]") {
  CHECK(error_of("# csv\n8.8.8.8,dns.google,15169\n") ==
        "cat.txt:2: a CSV resolver list needs a header row with an ip_address column");
  CHECK(error_of("address,name\n8.8.8.8,x\n") ==
        "cat.txt:1: a CSV resolver list needs a header row with an ip_address column");
  // A comma inside a quoted tag value is no CSV, even next to the word ip_address.
  auto catalog = parse_resolver_catalog("8.8.8.8 as_org=\"Google, LLC\"\n", "cat.txt", {});
  REQUIRE(catalog.resolvers.size() == 1);
  CHECK(catalog.resolvers[0].as_org == "Google, LLC");
  auto tricky = parse_resolver_catalog("8.8.8.8 name=\"a, ip_address\"\n", "cat.txt", {});
  REQUIRE(tricky.resolvers.size() == 1);
  CHECK(tricky.resolvers[0].name == "a, ip_address");
}

TEST_CASE("load_resolver_catalog reads a file and names it in errors", "[targets][resolver_catalog]") {
  TempFile plain("8.8.8.8 kind=open\n8.8.8.8\n");
  auto catalog = mxsentry::load_resolver_catalog(plain.path(), {});
  REQUIRE(catalog.resolvers.size() == 1);
  CHECK(catalog.duplicates == 1);
  CHECK(catalog.resolvers[0].kind == "open");

  TempFile csv("ip_address,country_code\n8.8.8.8,US\n");
  auto from_csv = mxsentry::load_resolver_catalog(csv.path(), {});
  REQUIRE(from_csv.resolvers.size() == 1);
  CHECK(from_csv.resolvers[0].country == "US");

  TempFile bad("8.8.8.8\n1.1.1.1 asn=many\n");
  try {
    mxsentry::load_resolver_catalog(bad.path(), {});
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) ==
          bad.path() + ":2: bad asn 'many' (expected an AS number such as 3320 or AS3320)");
  }
  const std::string missing = plain.path() + ".does-not-exist";
  try {
    mxsentry::load_resolver_catalog(missing, {});
    FAIL("no ListError");
  } catch (const ListError& e) {
    CHECK(std::string(e.what()) == missing + ": cannot open the resolver list");
  }
}
