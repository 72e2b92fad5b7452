// The prefix table (built once, for routing data): longest-prefix match across nested, adjacent
// and whole-space prefixes, repeats, and agreement with a linear scan on random data.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include <random>
#include <vector>

#include "targets/prefix_table.h"

using mxsentry::Endpoint;
using mxsentry::parse_prefix;
using mxsentry::Prefix;
using mxsentry::PrefixTable;

namespace {

PrefixTable::Entry entry(const char* text, std::uint32_t value) {
  auto p = parse_prefix(text);
  REQUIRE(p.has_value());
  return {*p, value};
}

using mxsentry::test::ep;

}  // namespace

TEST_CASE("PrefixTable: the longest prefix wins, per family", "[targets][prefix_table]") {
  PrefixTable empty;
  CHECK_FALSE(empty.longest_match(ep("192.0.2.1")).has_value());
  CHECK_FALSE(PrefixTable(std::vector<PrefixTable::Entry>{}).longest_match(ep("2001:db8::1")).has_value());

  PrefixTable table({entry("10.1.0.0/16", 2), entry("10.0.0.0/8", 1), entry("10.1.2.3", 3),
                     entry("10.1.2.4/31", 4), entry("2001:db8::/32", 5), entry("2001:db8:1::/48", 6),
                     entry("11.0.0.0/8", 7)});
  CHECK(table.longest_match(ep("10.0.0.0")) == 1u);
  CHECK(table.longest_match(ep("10.200.0.1")) == 1u);
  CHECK(table.longest_match(ep("10.1.0.0")) == 2u);
  CHECK(table.longest_match(ep("10.1.2.2")) == 2u);
  CHECK(table.longest_match(ep("10.1.2.3")) == 3u);
  CHECK(table.longest_match(ep("10.1.2.4")) == 4u);
  CHECK(table.longest_match(ep("10.1.2.5")) == 4u);
  CHECK(table.longest_match(ep("10.1.2.6")) == 2u);
  CHECK(table.longest_match(ep("10.1.255.255")) == 2u);
  CHECK(table.longest_match(ep("10.2.0.0")) == 1u);
  CHECK(table.longest_match(ep("10.255.255.255")) == 1u);
  CHECK(table.longest_match(ep("11.0.0.0")) == 7u);  // adjacent to the /8 before
  CHECK_FALSE(table.longest_match(ep("9.255.255.255")).has_value());
  CHECK_FALSE(table.longest_match(ep("12.0.0.0")).has_value());
  CHECK_FALSE(table.longest_match(ep("0.0.0.0")).has_value());
  CHECK_FALSE(table.longest_match(ep("255.255.255.255")).has_value());
  CHECK(table.longest_match(ep("2001:db8::1")) == 5u);
  CHECK(table.longest_match(ep("2001:db8:1::1")) == 6u);
  CHECK(table.longest_match(ep("2001:db8:2::")) == 5u);
  CHECK_FALSE(table.longest_match(ep("2001:db9::1")).has_value());
  CHECK_FALSE(table.longest_match(ep("a00::1")).has_value());
  CHECK_FALSE(table.longest_match(ep("32.1.13.184")).has_value());
  CHECK_FALSE(table.longest_match(Endpoint{}).has_value());
}

TEST_CASE("PrefixTable: /0 and the last address of the space", "[targets][prefix_table]") {
  PrefixTable table({entry("0.0.0.0/0", 1), entry("255.255.255.255", 2), entry("255.255.255.0/24", 5),
                     entry("::/0", 3), entry("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 4)});
  CHECK(table.longest_match(ep("0.0.0.0")) == 1u);
  CHECK(table.longest_match(ep("255.255.254.255")) == 1u);
  CHECK(table.longest_match(ep("255.255.255.0")) == 5u);
  CHECK(table.longest_match(ep("255.255.255.254")) == 5u);
  CHECK(table.longest_match(ep("255.255.255.255")) == 2u);
  CHECK(table.longest_match(ep("::")) == 3u);
  CHECK(table.longest_match(ep("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")) == 3u);
  CHECK(table.longest_match(ep("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) == 4u);
  CHECK(table.longest_match(ep("8000::")) == 3u);
}

TEST_CASE("PrefixTable: a repeated prefix keeps the first value and is reported", "[targets][prefix_table]") {
  std::vector<PrefixTable::Repeat> repeats;
  PrefixTable table({entry("192.0.2.0/24", 7), entry("192.0.2.128/25", 8), entry("192.0.2.9/24", 9),
                     entry("2001:db8::/32", 10), entry("2001:db8::/32", 11)},
                    &repeats);
  CHECK(table.longest_match(ep("192.0.2.1")) == 7u);
  CHECK(table.longest_match(ep("192.0.2.200")) == 8u);
  CHECK(table.longest_match(ep("2001:db8::1")) == 10u);
  REQUIRE(repeats.size() == 2);
  CHECK(repeats[0] == PrefixTable::Repeat{7, 9});
  CHECK(repeats[1] == PrefixTable::Repeat{10, 11});
}

TEST_CASE("PrefixTable: agrees with a linear longest-match scan on random data", "[targets][prefix_table]") {
  std::mt19937 rng(20240102);
  for (int family : {AF_INET, AF_INET6}) {
    unsigned max = family == AF_INET ? 32 : 128;
    // Few distinct leading bytes, so that prefixes nest, touch and repeat often.
    auto random_address = [&] {
      Endpoint e;
      e.family = family;
      for (unsigned i = 0; i < max / 8; ++i) e.address[i] = static_cast<std::uint8_t>(rng() % (i < 3 ? 3 : 256));
      if (rng() % 8 == 0)
        for (unsigned i = 2; i < max / 8; ++i) e.address[i] = 0xff;  // the end of a range
      return e;
    };
    std::vector<PrefixTable::Entry> entries;
    for (std::uint32_t i = 0; i < 3000; ++i) {
      Prefix p;
      p.network = random_address();
      p.length = static_cast<unsigned>(rng() % (max + 1));
      entries.push_back({p, i});
    }
    PrefixTable table(entries);
    for (int i = 0; i < 5000; ++i) {
      Endpoint address = random_address();
      if (i % 3 == 0) address = entries[rng() % entries.size()].prefix.network;  // hit prefix edges
      std::optional<std::uint32_t> expected;
      unsigned best = 0;
      for (const auto& e : entries) {
        if (!e.prefix.contains(address)) continue;
        if (!expected || e.prefix.length > best) {
          expected = e.value;
          best = e.prefix.length;
        }
      }
      INFO(address.address_string());
      REQUIRE(table.longest_match(address) == expected);
    }
  }
}
