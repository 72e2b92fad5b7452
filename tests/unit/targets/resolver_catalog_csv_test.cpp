// Resolver catalogs, CSV format (the public-dns.info layout and variations): columns found by
// header, RFC 4180 quoting, empty values, and errors naming source:line.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include <string>

#include "targets/list_error.h"
#include "targets/resolver_catalog.h"

using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::parse_resolver_catalog;
using mxsentry::ResolverListOptions;

namespace {

const std::string header =
    "ip_address,name,as_number,as_org,country_code,city,version,error,dnssec,reliability,checked_at,created_at\n";

std::string error_of(std::string_view text, bool allow_private = false) {
  return mxsentry::test::list_error_of([&](std::string_view t) { parse_resolver_catalog(t, "ns.csv", ResolverListOptions{allow_private}); }, text);
}

using mxsentry::test::ep;

}  // namespace

TEST_CASE("resolver CSV: the public-dns.info layout", "[targets][resolver_catalog_csv]") {
  const std::string text =
      header +
      "8.8.8.8,dns.google.,15169,Google LLC,US,Mountain View,,,true,1.00,2024-01-02T03:04:05Z,2017-01-01T00:00:00Z\n"
      "194.25.2.129,,3320,\"Deutsche Telekom AG\",DE,\"Frankfurt, am Main\",dnsmasq-2.80,,false,0.98,x,y\r\n"
      "2001:4860:4860::8844,\"dns \"\"two\"\"\",15169,\"Google, LLC\",us,,,,,,,\n"
      "9.9.9.9,,,,,,,,,,,\n";
  auto catalog = parse_resolver_catalog(text, "ns.csv", {});
  CHECK(catalog.duplicates == 0);
  REQUIRE(catalog.resolvers.size() == 4);
  const auto& google = catalog.resolvers[0];
  CHECK(google.address == ep("8.8.8.8"));
  CHECK(google.address.port == 53);
  CHECK(google.name == "dns.google.");
  CHECK(google.asn == 15169);
  CHECK(google.as_org == "Google LLC");
  CHECK(google.country == "US");
  CHECK(google.kind.empty());  // no kind column
  CHECK(catalog.resolvers[1].as_org == "Deutsche Telekom AG");
  CHECK(catalog.resolvers[1].name.empty());
  const auto& v6 = catalog.resolvers[2];
  CHECK(v6.address == ep("2001:4860:4860::8844"));
  CHECK(v6.name == "dns \"two\"");
  CHECK(v6.as_org == "Google, LLC");
  CHECK(v6.country == "US");
  const auto& bare = catalog.resolvers[3];
  CHECK(bare.asn == 0);  // an empty as_number is unknown
  CHECK(bare.country.empty());
  CHECK(bare.as_org.empty());
}

TEST_CASE("resolver CSV: any column order, extra columns, a kind column, comments first",
          "[targets][resolver_catalog_csv]") {
  const std::string text =
      "# exported by hand\n"
      "\n"
      "Country_Code, Kind ,extra,IP_ADDRESS,as_number\n"
      "de,isp,whatever,194.25.2.129,AS3320\n"
      "us,open,,8.8.8.8:5353,15169\n"
      "gb,,,1.1.1.1,\n"
      "fr,open,,194.25.2.129,1\n";  // a duplicate
  auto catalog = parse_resolver_catalog(text, "ns.csv", {});
  CHECK(catalog.duplicates == 1);
  REQUIRE(catalog.resolvers.size() == 3);
  CHECK(catalog.resolvers[0].address == ep("194.25.2.129"));
  CHECK(catalog.resolvers[0].country == "DE");
  CHECK(catalog.resolvers[0].kind == "isp");
  CHECK(catalog.resolvers[0].asn == 3320);
  CHECK(catalog.resolvers[1].address == ep("8.8.8.8:5353"));
  CHECK(catalog.resolvers[1].kind == "open");
  CHECK(catalog.resolvers[2].kind.empty());
  CHECK(catalog.resolvers[2].asn == 0);
}

TEST_CASE("resolver CSV: a header alone, and only ip_address", "[targets][resolver_catalog_csv]") {
  CHECK(parse_resolver_catalog(header, "ns.csv", {}).resolvers.empty());
  auto only = parse_resolver_catalog("ip_address\n8.8.8.8\n\n1.1.1.1\n", "ns.csv", {});
  REQUIRE(only.resolvers.size() == 2);
  CHECK(only.resolvers[1].address == ep("1.1.1.1"));
  auto quoted = parse_resolver_catalog("\"ip_address\",\"name\"\n\"8.8.8.8\",\"a,b\"\n", "ns.csv", {});
  REQUIRE(quoted.resolvers.size() == 1);
  CHECK(quoted.resolvers[0].name == "a,b");
}

TEST_CASE("resolver CSV: bad records are reported as source:line: reason", "[targets][resolver_catalog_csv]") {
  CHECK(error_of(header + "8.8.8.8,x\n") == "ns.csv:2: expected 12 fields as in the header, got 2");
  CHECK(error_of("ip_address,name\n8.8.8.8,x,y\n") == "ns.csv:2: expected 2 fields as in the header, got 3");
  CHECK(error_of("ip_address,name\n8.8.8.8,x\nbogus,y\n") == "ns.csv:3: bad IPv4 address 'bogus'");
  CHECK(error_of("ip_address,name\n,y\n") == "ns.csv:2: empty ip_address");
  CHECK(error_of("ip_address,as_number\n8.8.8.8,fifteen\n") ==
        "ns.csv:2: bad as_number 'fifteen' (expected an AS number such as 3320 or AS3320)");
  CHECK(error_of("ip_address,country_code\n8.8.8.8,USA\n") ==
        "ns.csv:2: bad country_code 'USA' (expected a two-letter ISO 3166 code such as DE)");
  CHECK(error_of("ip_address,kind\n8.8.8.8,public\n") == "ns.csv:2: bad kind 'public' (expected open or isp)");
  CHECK(error_of("ip_address,name,ip_address\n8.8.8.8,x,8.8.4.4\n") ==
        "ns.csv:1: column 'ip_address' appears twice in the header");
  CHECK(error_of("ip_address,name\n8.8.8.8,\"open\n") == "ns.csv:2: unterminated quoted field 2");
  CHECK(error_of("ip_address,name\n8.8.8.8,a\"b\n") ==
        "ns.csv:2: quote inside unquoted field 2 (quote the whole field)");
  CHECK(error_of("ip_address,name\n8.8.8.8,\"a\x02\"\n") == "ns.csv:2: control character in name");
  // A record spanning lines is reported at its first line; the next one at its own.
  CHECK(error_of("ip_address,city\n8.8.8.8,\"two\nlines\"\nnope,x\n") == "ns.csv:4: bad IPv4 address 'nope'");
  CHECK(error_of("ip_address,name\n8.8.8.8,\"two\nlines\"\n") == "ns.csv:2: control character in name");
  // The header row repeated (two files concatenated).
  CHECK(error_of("ip_address\n8.8.8.8\nip_address\n") == "ns.csv:3: bad IPv4 address 'ip_address'");
}

TEST_CASE("resolver CSV: special-purpose addresses are refused unless allowed", "[targets][resolver_catalog_csv]") {
  CHECK(error_of("ip_address\n8.8.8.8\n192.168.1.1\n") ==
        "ns.csv:3: 192.168.1.1 is private (192.168.0.0/16); such addresses are probed only with --allow-private");
  CHECK(error_of("ip_address\nfe80::1\n") ==
        "ns.csv:2: fe80::1 is link-local (fe80::/10); such addresses are probed only with --allow-private");
  auto lab = parse_resolver_catalog("ip_address,kind\n127.0.0.1:5353,isp\n", "ns.csv", ResolverListOptions{true});
  REQUIRE(lab.resolvers.size() == 1);
  CHECK(lab.resolvers[0].address == ep("127.0.0.1:5353"));
}
