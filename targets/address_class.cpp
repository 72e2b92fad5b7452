#include "targets/address_class.h"

#include <array>
#include <cstdint>

#include <sys/socket.h>

namespace mxsentry {

namespace {

struct Block {
  std::array<std::uint8_t, 16> prefix;
  unsigned length;
  const char* name;
};

// The IANA IPv4 Special-Purpose Address Registry, plus multicast and the limited broadcast.
// The more specific blocks come first, so an address is named by the narrowest one.
const Block v4_blocks[] = {
    {{0}, 8, "this network (0.0.0.0/8)"},
    {{10}, 8, "private (10.0.0.0/8)"},
    {{100, 64}, 10, "shared address space (100.64.0.0/10)"},
    {{127}, 8, "loopback (127.0.0.0/8)"},
    {{169, 254}, 16, "link-local (169.254.0.0/16)"},
    {{172, 16}, 12, "private (172.16.0.0/12)"},
    {{192, 0, 0}, 24, "IETF protocol assignments (192.0.0.0/24)"},
    {{192, 0, 2}, 24, "documentation (192.0.2.0/24)"},
    {{192, 31, 196}, 24, "AS112 (192.31.196.0/24)"},
    {{192, 52, 193}, 24, "AMT (192.52.193.0/24)"},
    {{192, 88, 99}, 24, "deprecated 6to4 relay (192.88.99.0/24)"},
    {{192, 168}, 16, "private (192.168.0.0/16)"},
    {{192, 175, 48}, 24, "AS112 direct delegation (192.175.48.0/24)"},
    {{198, 18}, 15, "benchmarking (198.18.0.0/15)"},
    {{198, 51, 100}, 24, "documentation (198.51.100.0/24)"},
    {{203, 0, 113}, 24, "documentation (203.0.113.0/24)"},
    {{224}, 4, "multicast (224.0.0.0/4)"},
    {{240}, 4, "reserved (240.0.0.0/4)"},
};

// The IANA IPv6 Special-Purpose Address Registry, plus multicast and the deprecated site-local
// block; whatever else lies outside global unicast (2000::/3) is reserved by the IETF.
const Block v6_blocks[] = {
    {{0}, 128, "unspecified (::/128)"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback (::1/128)"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, "IPv4-mapped (::ffff:0:0/96)"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0}, 96, "IPv4-translated (::ffff:0:0:0/96)"},
    {{0}, 96, "deprecated IPv4-compatible (::/96)"},
    {{0, 0x64, 0xff, 0x9b}, 96, "IPv4/IPv6 translation (64:ff9b::/96)"},
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, "local IPv4/IPv6 translation (64:ff9b:1::/48)"},
    {{0x01, 0x00}, 64, "discard-only (100::/64)"},
    {{0x01, 0x00, 0, 0, 0, 0, 0, 1}, 64, "dummy prefix (100:0:0:1::/64)"},
    {{0x20, 0x01}, 32, "Teredo (2001::/32)"},
    {{0x20, 0x01, 0, 0x02, 0, 0}, 48, "benchmarking (2001:2::/48)"},
    {{0x20, 0x01, 0, 0x03}, 32, "AMT (2001:3::/32)"},
    {{0x20, 0x01, 0, 0x04, 0x01, 0x12}, 48, "AS112 (2001:4:112::/48)"},
    {{0x20, 0x01, 0, 0x10}, 28, "deprecated ORCHID (2001:10::/28)"},
    {{0x20, 0x01, 0, 0x20}, 28, "ORCHIDv2 (2001:20::/28)"},
    {{0x20, 0x01, 0, 0x30}, 28, "drone remote ID (2001:30::/28)"},
    {{0x20, 0x01}, 23, "IETF protocol assignments (2001::/23)"},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation (2001:db8::/32)"},
    {{0x20, 0x02}, 16, "6to4 (2002::/16)"},
    {{0x26, 0x20, 0, 0x4f, 0x80, 0}, 48, "AS112 direct delegation (2620:4f:8000::/48)"},
    {{0x3f, 0xff}, 20, "documentation (3fff::/20)"},
    {{0x5f, 0x00}, 16, "segment routing (5f00::/16)"},
    {{0xfc}, 7, "unique local (fc00::/7)"},
    {{0xfe, 0x80}, 10, "link-local (fe80::/10)"},
    {{0xfe, 0xc0}, 10, "deprecated site-local (fec0::/10)"},
    {{0xff}, 8, "multicast (ff00::/8)"},
};

bool in_block(const std::array<std::uint8_t, 16>& address, const Block& block) {
  unsigned full = block.length / 8, rest = block.length % 8;
  for (unsigned i = 0; i < full; ++i)
    if (address[i] != block.prefix[i]) return false;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (address[full] & mask) == (block.prefix[full] & mask);
}

}  // namespace

std::optional<std::string> special_purpose_block(const Endpoint& address) {
  if (address.family == AF_INET) {
    if (address.address[0] == 255 && address.address[1] == 255 && address.address[2] == 255 &&
        address.address[3] == 255)
      return "broadcast (255.255.255.255)";
    for (const auto& b : v4_blocks)
      if (in_block(address.address, b)) return b.name;
    return std::nullopt;
  }
  for (const auto& b : v6_blocks)
    if (in_block(address.address, b)) return b.name;
  if ((address.address[0] & 0xe0) != 0x20) return "reserved (outside global unicast 2000::/3)";
  return std::nullopt;
}

bool nat64_well_known(const Endpoint& address) {
  static const Block well_known{{0, 0x64, 0xff, 0x9b}, 96, ""};
  return address.family == AF_INET6 && in_block(address.address, well_known);
}

}  // namespace mxsentry
