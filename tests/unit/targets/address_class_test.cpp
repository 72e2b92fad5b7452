// special_purpose_block: one address inside and the ones just outside every block.

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "protocol/dns/endpoint.h"
#include "targets/address_class.h"

using mxsentry::Endpoint;
using mxsentry::special_purpose_block;

namespace {

std::optional<std::string> block_of(const char* address) {
  auto e = Endpoint::parse(address);
  INFO(address);
  REQUIRE(e.has_value());
  return special_purpose_block(*e);
}

struct BlockCase {
  const char* name;
  const char* inside[2];   ///< first and last address of the block (or two inside)
  const char* outside[2];  ///< just before and just after the block
};

/// `outside_global`: the addresses just outside are global (else only not in this block: in
/// IPv6, next to a block outside 2000::/3 lies another special one).
void check_block(const BlockCase& c, bool outside_global = true) {
  for (const char* address : c.inside) {
    INFO(address << " should be in " << c.name);
    CHECK(block_of(address) == std::optional<std::string>(c.name));
  }
  for (const char* address : c.outside) {
    INFO(address << " should be outside " << c.name);
    if (outside_global)
      CHECK(block_of(address) == std::nullopt);
    else
      CHECK(block_of(address) != std::optional<std::string>(c.name));
  }
}

}  // namespace

TEST_CASE("special_purpose_block: IPv4 blocks and their edges", "[targets][address_class]") {
  const BlockCase cases[] = {
      {"this network (0.0.0.0/8)", {"0.0.0.0", "0.255.255.255"}, {"1.0.0.0", "1.0.0.1"}},
      {"private (10.0.0.0/8)", {"10.0.0.0", "10.255.255.255"}, {"9.255.255.255", "11.0.0.0"}},
      {"shared address space (100.64.0.0/10)", {"100.64.0.0", "100.127.255.255"}, {"100.63.255.255", "100.128.0.0"}},
      {"loopback (127.0.0.0/8)", {"127.0.0.1", "127.255.255.255"}, {"126.255.255.255", "128.0.0.0"}},
      {"link-local (169.254.0.0/16)", {"169.254.0.0", "169.254.255.255"}, {"169.253.255.255", "169.255.0.0"}},
      {"private (172.16.0.0/12)", {"172.16.0.0", "172.31.255.255"}, {"172.15.255.255", "172.32.0.0"}},
      {"IETF protocol assignments (192.0.0.0/24)", {"192.0.0.0", "192.0.0.255"}, {"191.255.255.255", "192.0.1.0"}},
      {"documentation (192.0.2.0/24)", {"192.0.2.0", "192.0.2.255"}, {"192.0.1.255", "192.0.3.0"}},
      {"deprecated 6to4 relay (192.88.99.0/24)", {"192.88.99.0", "192.88.99.255"}, {"192.88.98.255", "192.88.100.0"}},
      {"private (192.168.0.0/16)", {"192.168.0.0", "192.168.255.255"}, {"192.167.255.255", "192.169.0.0"}},
      {"benchmarking (198.18.0.0/15)", {"198.18.0.0", "198.19.255.255"}, {"198.17.255.255", "198.20.0.0"}},
      {"documentation (198.51.100.0/24)", {"198.51.100.0", "198.51.100.255"}, {"198.51.99.255", "198.51.101.0"}},
      {"documentation (203.0.113.0/24)", {"203.0.113.0", "203.0.113.255"}, {"203.0.112.255", "203.0.114.0"}},
      {"multicast (224.0.0.0/4)", {"224.0.0.0", "239.255.255.255"}, {"223.255.255.255", "223.255.255.254"}},
  };
  for (const BlockCase& c : cases) check_block(c);

  // The top of the space: reserved up to .254, broadcast at .255.
  CHECK(block_of("240.0.0.0") == std::optional<std::string>("reserved (240.0.0.0/4)"));
  CHECK(block_of("255.255.255.254") == std::optional<std::string>("reserved (240.0.0.0/4)"));
  CHECK(block_of("255.255.255.255") == std::optional<std::string>("broadcast (255.255.255.255)"));
  CHECK(block_of("239.255.255.255") == std::optional<std::string>("multicast (224.0.0.0/4)"));
}

TEST_CASE("special_purpose_block: public IPv4 resolvers are global", "[targets][address_class]") {
  for (const char* address : {"8.8.8.8", "1.1.1.1", "9.9.9.9", "208.67.222.222", "1.0.0.1", "223.255.255.255",
                              "100.63.0.1", "172.15.0.1", "192.0.1.1", "198.51.99.1"}) {
    INFO(address);
    CHECK(block_of(address) == std::nullopt);
  }
  // The port does not matter.
  CHECK(block_of("10.1.2.3:5353") == std::optional<std::string>("private (10.0.0.0/8)"));
  CHECK(block_of("8.8.8.8:5353") == std::nullopt);
}

TEST_CASE("special_purpose_block: IPv6 blocks and their edges", "[targets][address_class]") {
  CHECK(block_of("::") == std::optional<std::string>("unspecified (::/128)"));
  CHECK(block_of("::1") == std::optional<std::string>("loopback (::1/128)"));
  CHECK(block_of("[::1]:5353") == std::optional<std::string>("loopback (::1/128)"));
  CHECK(block_of("::2") == std::optional<std::string>("deprecated IPv4-compatible (::/96)"));

  const BlockCase cases[] = {
      {"IPv4-mapped (::ffff:0:0/96)", {"::ffff:0.0.0.0", "::ffff:255.255.255.255"},
       {"::fffe:ffff:ffff", "::1:0:0:0"}},
      {"discard-only (100::/64)", {"100::", "100::ffff:ffff:ffff:ffff"},
       {"ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "100:0:0:1::"}},
      {"documentation (2001:db8::/32)", {"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"}},
      {"unique local (fc00::/7)", {"fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::"}},
      {"link-local (fe80::/10)", {"fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::"}},
      {"multicast (ff00::/8)", {"ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::1"}},
  };
  for (const BlockCase& c : cases) check_block(c, c.inside[0][0] == '2');

  CHECK(block_of("ff02::1") == std::optional<std::string>("multicast (ff00::/8)"));
  CHECK(block_of("fe80::1") == std::optional<std::string>("link-local (fe80::/10)"));
  CHECK(block_of("fd12:3456::1") == std::optional<std::string>("unique local (fc00::/7)"));
  CHECK(block_of("::ffff:8.8.8.8") == std::optional<std::string>("IPv4-mapped (::ffff:0:0/96)"));
}

TEST_CASE("special_purpose_block: public IPv6 resolvers are global", "[targets][address_class]") {
  for (const char* address : {"2001:4860:4860::8888", "2606:4700:4700::1111", "2620:fe::fe", "2a00:1450::1",
                              "[2001:4860:4860::8844]:53"}) {
    INFO(address);
    CHECK(block_of(address) == std::nullopt);
  }
}

// Found probed without --allow-private (issue 13): every block of both IANA special-purpose
// registries is special, and so is IPv6 outside global unicast.
TEST_CASE("special_purpose_block: the rest of both IANA registries", "[targets][address_class]") {
  const std::pair<const char*, const char*> cases[] = {
      {"2001:2::1", "benchmarking (2001:2::/48)"},
      {"3fff::1", "documentation (3fff::/20)"},
      {"3fff:fff:ffff::1", "documentation (3fff::/20)"},
      {"64:ff9b:1::1", "local IPv4/IPv6 translation (64:ff9b:1::/48)"},
      {"64:ff9b::8.8.8.8", "IPv4/IPv6 translation (64:ff9b::/96)"},
      {"::127.0.0.1", "deprecated IPv4-compatible (::/96)"},
      {"::ffff:0:127.0.0.1", "IPv4-translated (::ffff:0:0:0/96)"},
      {"2002:7f00:1::1", "6to4 (2002::/16)"},
      {"fec0::1", "deprecated site-local (fec0::/10)"},
      {"5f00::1", "segment routing (5f00::/16)"},
      {"2001::1", "Teredo (2001::/32)"},
      {"2001:1::1", "IETF protocol assignments (2001::/23)"},
      {"2001:1ff:ffff::1", "IETF protocol assignments (2001::/23)"},
      {"2001:2:1::1", "IETF protocol assignments (2001::/23)"},  // past benchmarking's /48
      {"2001:3::1", "AMT (2001:3::/32)"},
      {"2001:4:112::1", "AS112 (2001:4:112::/48)"},
      {"2001:10::1", "deprecated ORCHID (2001:10::/28)"},
      {"2001:20::1", "ORCHIDv2 (2001:20::/28)"},
      {"2001:30::1", "drone remote ID (2001:30::/28)"},
      {"100:0:0:1::1", "dummy prefix (100:0:0:1::/64)"},
      {"2620:4f:8000::1", "AS112 direct delegation (2620:4f:8000::/48)"},
      {"4000::1", "reserved (outside global unicast 2000::/3)"},
      {"1fff:ffff::1", "reserved (outside global unicast 2000::/3)"},
      {"e000::1", "reserved (outside global unicast 2000::/3)"},
      {"192.31.196.1", "AS112 (192.31.196.0/24)"},
      {"192.52.193.1", "AMT (192.52.193.0/24)"},
      {"192.175.48.1", "AS112 direct delegation (192.175.48.0/24)"},
  };
  for (const auto& [address, block] : cases) {
    INFO(address);
    CHECK(block_of(address) == std::optional<std::string>(block));
  }
  // Just outside the new blocks: global.
  for (const char* address : {"2001:200::1", "3fff:1000::1", "2003::1", "2620:4f:8001::1",
                              "3ffe:ffff::1", "2000::1", "192.31.197.1", "192.175.49.1", "3fff:1000::1"}) {
    INFO(address);
    CHECK(block_of(address) == std::nullopt);
  }
}

TEST_CASE("nat64_well_known: only 64:ff9b::/96", "[targets][address_class]") {
  CHECK(mxsentry::nat64_well_known(*Endpoint::parse("64:ff9b::192.0.2.1")));
  CHECK_FALSE(mxsentry::nat64_well_known(*Endpoint::parse("64:ff9b:1::1")));
  CHECK_FALSE(mxsentry::nat64_well_known(*Endpoint::parse("192.0.2.1")));
}
