// RouteViews pfx2as data: longest prefix match for IPv4 and IPv6, multi-origin and AS-set
// fields, and errors naming file:line.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_set>

#include "targets/list_error.h"
#include "targets/pfx2as_database.h"

using mxsentry::AsnInfo;
using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::parse_pfx2as;

namespace {

using Asns = std::vector<std::uint32_t>;

std::string error_of(std::string_view text) {
  return mxsentry::test::list_error_of([&](std::string_view t) { parse_pfx2as(t, "routeviews.pfx2as"); }, text);
}

using mxsentry::test::ep;

const std::string sample =
    "1.0.0.0\t24\t13335\n"
    "8.0.0.0\t9\t3356\n"
    "8.8.8.0\t24\t15169\n"
    "80.128.0.0\t11\t3320\n"
    "80.156.0.0\t16\t3320_64600\n"  // two origins
    "193.0.0.0\t21\t3333,12654\n"   // an AS set
    "45.0.0.0\t16\t100_200,300\n"   // both
    "2001:4860::\t32\t15169\n"
    "2003::\t19\t3320\n"
    "2a00:1450::\t32\t15169\n"
    "2a00:1450:4001::\t48\t15169_36040\n";

}  // namespace

TEST_CASE("pfx2as: longest prefix match over IPv4 and IPv6 in one file", "[targets][pfx2as]") {
  auto db = parse_pfx2as(sample, "routeviews.pfx2as");
  CHECK(db.size() == 11);
  auto google = db.lookup(ep("8.8.8.8"));
  REQUIRE(google.has_value());
  CHECK(google->asns == Asns{15169});
  CHECK(google->org.empty());  // pfx2as names no organisations
  CHECK(google->prefix.to_string() == "8.8.8.0/24");
  auto level3 = db.lookup(ep("8.8.4.4"));
  REQUIRE(level3.has_value());
  CHECK(level3->asns == Asns{3356});
  CHECK(level3->prefix.to_string() == "8.0.0.0/9");
  CHECK(db.lookup(ep("80.130.1.1"))->asns == Asns{3320});
  CHECK(db.lookup(ep("80.130.1.1"))->prefix.to_string() == "80.128.0.0/11");
  CHECK(db.lookup(ep("80.156.255.255"))->asns == Asns{3320, 64600});
  CHECK(db.lookup(ep("80.156.255.255"))->prefix.to_string() == "80.156.0.0/16");
  CHECK(db.lookup(ep("193.0.7.255"))->asns == Asns{3333, 12654});
  CHECK(db.lookup(ep("45.0.1.2"))->asns == Asns{100, 200, 300});
  CHECK(db.lookup(ep("1.0.0.255:5353"))->asns == Asns{13335});
  CHECK_FALSE(db.lookup(ep("1.0.1.0")).has_value());
  CHECK_FALSE(db.lookup(ep("9.9.9.9")).has_value());
  CHECK_FALSE(db.lookup(ep("193.0.8.0")).has_value());

  CHECK(db.lookup(ep("2001:4860:4860::8888"))->asns == Asns{15169});
  CHECK(db.lookup(ep("2001:4860:4860::8888"))->prefix.to_string() == "2001:4860::/32");
  CHECK(db.lookup(ep("2003:1fff:ffff::1"))->prefix.to_string() == "2003::/19");
  CHECK_FALSE(db.lookup(ep("2003:2000::1")).has_value());
  CHECK(db.lookup(ep("2a00:1450:4001:80b::200e"))->asns == Asns{15169, 36040});
  CHECK(db.lookup(ep("2a00:1450:4001:80b::200e"))->prefix.to_string() == "2a00:1450:4001::/48");
  CHECK(db.lookup(ep("2a00:1450:4002::1"))->prefix.to_string() == "2a00:1450::/32");
  CHECK_FALSE(db.lookup(ep("2606:4700::1111")).has_value());
  CHECK_FALSE(db.lookup(Endpoint{}).has_value());
}

TEST_CASE("pfx2as: blanks, comments, CRLF, repeated origins and the extreme lengths", "[targets][pfx2as]") {
  auto db = parse_pfx2as(
      "# a header someone added\n"
      "\n"
      "0.0.0.0 0 64512   \r\n"  // spaces instead of tabs
      "192.0.2.1\t32\t64513_64513\n"
      "::\t0\t64514\n"
      "2001:db8::1\t128\t4200000000\n",
      "x");
  CHECK(db.size() == 4);
  CHECK(db.lookup(ep("9.9.9.9"))->asns == Asns{64512});
  CHECK(db.lookup(ep("9.9.9.9"))->prefix.to_string() == "0.0.0.0/0");
  CHECK(db.lookup(ep("192.0.2.1"))->asns == Asns{64513});
  CHECK(db.lookup(ep("192.0.2.1"))->prefix.to_string() == "192.0.2.1/32");
  CHECK(db.lookup(ep("2001:db8::1"))->asns == Asns{4200000000u});
  CHECK(db.lookup(ep("2001:db8::2"))->asns == Asns{64514});
  CHECK(parse_pfx2as("", "x").size() == 0);
}

TEST_CASE("pfx2as: a broken line is reported as file:line: reason", "[targets][pfx2as]") {
  CHECK(error_of("1.0.0.0\t24\n") == "routeviews.pfx2as:1: expected 'prefix<TAB>length<TAB>asn', got '1.0.0.0\t24'");
  CHECK(error_of("1.0.0.0\t24\t1\t2\n") ==
        "routeviews.pfx2as:1: expected 'prefix<TAB>length<TAB>asn', got '1.0.0.0\t24\t1\t2'");
  CHECK(error_of(sample + "1.0.0.x\t24\t1\n") == "routeviews.pfx2as:12: bad address '1.0.0.x'");
  CHECK(error_of("1.0.0.0/24\t24\t1\n") == "routeviews.pfx2as:1: bad address '1.0.0.0/24'");
  CHECK(error_of("1.0.0.0\t33\t1\n") == "routeviews.pfx2as:1: bad prefix length '33'");
  CHECK(error_of("2001::\t129\t1\n") == "routeviews.pfx2as:1: bad prefix length '129'");
  CHECK(error_of("1.0.0.0\t-1\t1\n") == "routeviews.pfx2as:1: bad prefix length '-1'");
  CHECK(error_of("1.0.0.0\t2x\t1\n") == "routeviews.pfx2as:1: bad prefix length '2x'");
  CHECK(error_of("1.0.0.1\t24\t1\n") == "routeviews.pfx2as:1: 1.0.0.1/24 has address bits set past its length");
  CHECK(error_of("2001:db8::1\t32\t1\n") ==
        "routeviews.pfx2as:1: 2001:db8::1/32 has address bits set past its length");
  CHECK(error_of("1.0.0.0\t24\tAS1\n") == "routeviews.pfx2as:1: bad AS number 'AS1' in 'AS1'");
  CHECK(error_of("1.0.0.0\t24\t0\n") == "routeviews.pfx2as:1: bad AS number '0' in '0'");
  CHECK(error_of("1.0.0.0\t24\t4294967296\n") == "routeviews.pfx2as:1: bad AS number '4294967296' in '4294967296'");
  CHECK(error_of("1.0.0.0\t24\t1__2\n") == "routeviews.pfx2as:1: bad AS number '' in '1__2'");
  CHECK(error_of("1.0.0.0\t24\t1,\n") == "routeviews.pfx2as:1: bad AS number '' in '1,'");
  CHECK(error_of("1.0.0.0\t24\t13335\n\n1.0.0.0\t24\t13335\n") ==
        "routeviews.pfx2as:3: 1.0.0.0/24 is listed twice (first on line 1)");
  CHECK(error_of("9.0.0.0\t8\t1\n1.0.0.0\t24\t2\n9.0.0.0\t8\t3\n1.0.0.0\t24\t4\n") ==
        "routeviews.pfx2as:3: 9.0.0.0/8 is listed twice (first on line 1)");
  CHECK(error_of("2001:db8::\t32\t1\n2001:db8::\t32\t1\n") ==
        "routeviews.pfx2as:2: 2001:db8::/32 is listed twice (first on line 1)");
  std::string many = "1";
  for (int i = 2; i <= 256; ++i) many += "_" + std::to_string(i);
  CHECK(error_of("1.0.0.0\t24\t" + many + "\n") == "routeviews.pfx2as:1: more than 255 origin ASes");
}

// Sizes like RouteViews' (about a million prefixes); run by hand: mxsentry_unit_tests '[perf]'.
TEST_CASE("pfx2as: a million prefixes load in about a second and look up fast", "[.][perf][pfx2as]") {
  std::mt19937 rng(7);
  std::string text;
  text.reserve(30'000'000);
  std::unordered_set<std::uint64_t> seen;
  while (seen.size() < 900'000) {  // IPv4, /16 to /24
    unsigned length = 16 + rng() % 9;
    std::uint32_t address = (rng() % 223 + 1) << 24 | (rng() & 0xffffff);
    address &= ~0u << (32 - length);
    if (!seen.insert(std::uint64_t{address} << 8 | length).second) continue;
    text += std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
            std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255) + "\t" +
            std::to_string(length) + "\t" + std::to_string(rng() % 400000 + 1) + "\n";
  }
  char buffer[64];
  seen.clear();
  while (seen.size() < 200'000) {  // IPv6 in 2a00::/8, /32 to /48
    unsigned length = 32 + rng() % 17;
    unsigned top = rng() % 256, a = rng() & 0xffff, b = rng() & 0xffff;
    if (length < 48) b &= 0xffffu << (48 - length);
    if (!seen.insert(std::uint64_t{top} << 40 | std::uint64_t{a} << 24 | std::uint64_t{b} << 8 | length).second)
      continue;
    std::snprintf(buffer, sizeof buffer, "2a%02x:%x:%x::\t%u\t%u\n", top, a, b, length,
                  static_cast<unsigned>(rng() % 400000 + 1));
    text += buffer;
  }
  auto start = std::chrono::steady_clock::now();
  auto db = parse_pfx2as(text, "big.pfx2as");
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<Endpoint> queries(1'000'000);
  for (auto& q : queries) {
    q.family = rng() % 5 == 0 ? AF_INET6 : AF_INET;
    for (auto& byte : q.address) byte = static_cast<std::uint8_t>(rng());
    if (q.family == AF_INET6) q.address[0] = 0x2a;
  }
  std::size_t found = 0;
  double lookup_ns = 0;
  for (int family : {AF_INET, AF_INET6}) {
    std::size_t count = 0;
    start = std::chrono::steady_clock::now();
    for (const auto& q : queries)
      if (q.family == family) found += db.lookup(q).has_value(), ++count;
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
                static_cast<double>(count);
    WARN((family == AF_INET ? "IPv4: " : "IPv6: ") << ns << " ns a lookup");
    lookup_ns = std::max(lookup_ns, ns);
  }
  WARN("pfx2as: " << db.size() << " prefixes loaded in " << load_s << " s; " << found << " of " << queries.size()
                  << " addresses found");
  CHECK(load_s < 3.0);
  CHECK(lookup_ns < 2000.0);
}
