#include "targets/prefix_trie.h"

#include <stdexcept>

namespace mxsentry {

namespace {

unsigned bit_at(const std::array<std::uint8_t, 16>& address, unsigned i) {
  return (address[i / 8] >> (7 - i % 8)) & 1u;
}

}  // namespace

std::optional<std::uint32_t> PrefixTrie::insert(const Prefix& prefix, std::uint32_t value) {
  int family = prefix.network.family;
  if ((family != AF_INET && family != AF_INET6) || prefix.length > (family == AF_INET ? 32u : 128u))
    throw std::invalid_argument("PrefixTrie::insert: not an IPv4 or IPv6 prefix");
  auto& nodes = nodes_for(family);
  if (nodes.empty()) nodes.emplace_back();
  std::uint32_t node = 0;
  for (unsigned i = 0; i < prefix.length; ++i) {
    unsigned b = bit_at(prefix.network.address, i);
    if (nodes[node].child[b] == 0) {
      auto next = static_cast<std::uint32_t>(nodes.size());
      nodes.emplace_back();  // may move the vector: index again below
      nodes[node].child[b] = next;
    }
    node = nodes[node].child[b];
  }
  if (nodes[node].value != no_value) return nodes[node].value;
  nodes[node].value = value;
  ++size_;
  return std::nullopt;
}

std::optional<std::uint32_t> PrefixTrie::longest_match(const Endpoint& address) const {
  if (address.family != AF_INET && address.family != AF_INET6) return std::nullopt;
  const auto& nodes = nodes_for(address.family);
  if (nodes.empty()) return std::nullopt;
  unsigned bits = address.family == AF_INET ? 32 : 128;
  std::uint32_t best = nodes[0].value, node = 0;
  for (unsigned i = 0; i < bits; ++i) {
    node = nodes[node].child[bit_at(address.address, i)];
    if (node == 0) break;
    if (nodes[node].value != no_value) best = nodes[node].value;
  }
  if (best == no_value) return std::nullopt;
  return best;
}

}  // namespace mxsentry
