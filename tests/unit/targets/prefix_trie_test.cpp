// The prefix trie: longest-prefix match for IPv4 and IPv6, repeats, the whole-space prefixes,
// and agreement with a linear scan on random data.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include <random>
#include <vector>

#include "targets/prefix_trie.h"

using mxsentry::Endpoint;
using mxsentry::parse_prefix;
using mxsentry::Prefix;
using mxsentry::PrefixTrie;

namespace {

Prefix pfx(const char* text) {
  auto p = parse_prefix(text);
  REQUIRE(p.has_value());
  return *p;
}

using mxsentry::test::ep;

}  // namespace

TEST_CASE("PrefixTrie: the longest prefix wins, per family", "[targets][prefix_trie]") {
  PrefixTrie trie;
  CHECK_FALSE(trie.longest_match(ep("192.0.2.1")).has_value());  // empty
  CHECK_FALSE(trie.insert(pfx("10.0.0.0/8"), 1));
  CHECK_FALSE(trie.insert(pfx("10.1.0.0/16"), 2));
  CHECK_FALSE(trie.insert(pfx("10.1.2.3"), 3));
  CHECK_FALSE(trie.insert(pfx("2001:db8::/32"), 4));
  CHECK_FALSE(trie.insert(pfx("2001:db8:1::/48"), 5));
  CHECK(trie.size() == 5);
  CHECK(trie.longest_match(ep("10.200.0.1")) == 1u);
  CHECK(trie.longest_match(ep("10.1.0.1")) == 2u);
  CHECK(trie.longest_match(ep("10.1.2.3")) == 3u);
  CHECK(trie.longest_match(ep("10.1.2.4")) == 2u);
  CHECK_FALSE(trie.longest_match(ep("11.0.0.1")).has_value());
  CHECK(trie.longest_match(ep("2001:db8::1")) == 4u);
  CHECK(trie.longest_match(ep("2001:db8:1::1")) == 5u);
  CHECK(trie.longest_match(ep("2001:db8:1:ffff:ffff:ffff:ffff:ffff")) == 5u);
  CHECK_FALSE(trie.longest_match(ep("2001:db9::1")).has_value());
  // An IPv4 prefix says nothing about IPv6 addresses with the same leading bytes, and back.
  CHECK_FALSE(trie.longest_match(ep("a00::1")).has_value());
  CHECK_FALSE(trie.longest_match(ep("32.1.13.184")).has_value());  // 0x20010db8 as IPv4
  CHECK_FALSE(trie.longest_match(Endpoint{}).has_value());         // no family
}

TEST_CASE("PrefixTrie: a repeated prefix keeps its first value, host bits are ignored", "[targets][prefix_trie]") {
  PrefixTrie trie;
  CHECK_FALSE(trie.insert(pfx("192.0.2.0/24"), 7));
  CHECK(trie.insert(pfx("192.0.2.0/24"), 8) == 7u);
  CHECK(trie.insert(pfx("192.0.2.99/24"), 9) == 7u);  // the same /24
  CHECK(trie.size() == 1);
  CHECK(trie.longest_match(ep("192.0.2.200")) == 7u);
}

TEST_CASE("PrefixTrie: /0 covers its family, /32 and /128 one address", "[targets][prefix_trie]") {
  PrefixTrie trie;
  trie.insert(pfx("0.0.0.0/0"), 1);
  trie.insert(pfx("255.255.255.255"), 2);
  trie.insert(pfx("::/0"), 3);
  trie.insert(pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 4);
  CHECK(trie.longest_match(ep("0.0.0.0")) == 1u);
  CHECK(trie.longest_match(ep("255.255.255.254")) == 1u);
  CHECK(trie.longest_match(ep("255.255.255.255")) == 2u);
  CHECK(trie.longest_match(ep("::")) == 3u);
  CHECK(trie.longest_match(ep("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")) == 3u);
  CHECK(trie.longest_match(ep("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) == 4u);
}

TEST_CASE("PrefixTrie: a bad prefix is a broken invariant", "[targets][prefix_trie]") {
  PrefixTrie trie;
  Prefix none;  // no family
  CHECK_THROWS_AS(trie.insert(none, 1), std::invalid_argument);
  Prefix too_long = pfx("192.0.2.0/24");
  too_long.length = 33;
  CHECK_THROWS_AS(trie.insert(too_long, 1), std::invalid_argument);
}

TEST_CASE("PrefixTrie: agrees with a linear longest-match scan on random data", "[targets][prefix_trie]") {
  std::mt19937 rng(20240101);
  for (int family : {AF_INET, AF_INET6}) {
    unsigned max = family == AF_INET ? 32 : 128;
    std::vector<Prefix> prefixes;
    PrefixTrie trie;
    // Few distinct leading bytes, so that prefixes nest and collide often.
    auto random_address = [&] {
      Endpoint e;
      e.family = family;
      for (unsigned i = 0; i < max / 8; ++i) e.address[i] = static_cast<std::uint8_t>(rng() % (i < 2 ? 4 : 256));
      return e;
    };
    for (int i = 0; i < 2000; ++i) {
      Prefix p;
      p.network = random_address();
      p.length = static_cast<unsigned>(rng() % (max + 1));
      prefixes.push_back(p);
      trie.insert(p, static_cast<std::uint32_t>(i));
    }
    for (int i = 0; i < 5000; ++i) {
      Endpoint address = random_address();
      std::optional<std::uint32_t> expected;
      unsigned best = 0;
      for (std::uint32_t k = 0; k < prefixes.size(); ++k) {
        if (!prefixes[k].contains(address)) continue;
        if (!expected || prefixes[k].length > best) {
          expected = k;
          best = prefixes[k].length;
        }
      }
      INFO(address.address_string());
      REQUIRE(trie.longest_match(address) == expected);
    }
  }
}
