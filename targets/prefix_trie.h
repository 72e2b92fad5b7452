#pragma once
// Longest-prefix match from IPv4 and IPv6 prefixes to values (indexes into the caller's table):
// a binary trie per family whose nodes sit in one vector linked by 32-bit indexes, so a million
// prefixes take some tens of MB and are added one at a time (lists grow, nothing is rebuilt).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/prefix.h"

namespace mxsentry {

class PrefixTrie {
 public:
  /// Stores the value for the prefix (bits past its length are ignored). If the same prefix is
  /// already stored, keeps the first value and returns it; nullopt when the prefix is new.
  std::optional<std::uint32_t> insert(const Prefix& prefix, std::uint32_t value);
  /// The value of the longest stored prefix that holds the address, or nullopt.
  std::optional<std::uint32_t> longest_match(const Endpoint& address) const;
  /// The number of distinct prefixes stored.
  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint32_t no_value = 0xffffffff;
  struct Node {
    std::uint32_t child[2] = {0, 0};  ///< 0: none (the root is never a child)
    std::uint32_t value = no_value;
  };
  std::vector<Node>& nodes_for(int family) { return family == AF_INET ? v4_ : v6_; }
  const std::vector<Node>& nodes_for(int family) const { return family == AF_INET ? v4_ : v6_; }

  std::vector<Node> v4_, v6_;
  std::size_t size_ = 0;
};

}  // namespace mxsentry
