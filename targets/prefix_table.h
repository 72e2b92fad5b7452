#pragma once
// Longest-prefix match over a fixed set of prefixes, built once (routing data: a million routes).
// The prefixes are flattened into sorted, disjoint address ranges, each knowing its most specific
// prefix; a lookup is a binary search among the few ranges under the address's first 16 bits.
// About 8 bytes a range for IPv4 and 20 for IPv6, at most two ranges a prefix.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/prefix.h"

namespace mxsentry {

namespace prefix_table_detail {
/// An IPv6 address as a number, for ordering ranges.
struct U128 {
  std::uint64_t hi = 0, lo = 0;
  auto operator<=>(const U128&) const = default;
};
}  // namespace prefix_table_detail

class PrefixTable {
 public:
  struct Entry {
    Prefix prefix;  ///< bits past the length are ignored
    std::uint32_t value = 0;
  };
  /// (value kept, value dropped) for a prefix given more than once.
  using Repeat = std::pair<std::uint32_t, std::uint32_t>;

  PrefixTable() = default;
  /// Builds the table. Of equal prefixes the first in `entries` counts; the others are reported
  /// in `repeats` when it is given.
  explicit PrefixTable(const std::vector<Entry>& entries, std::vector<Repeat>* repeats = nullptr);

  /// The value of the longest prefix that holds the address, or nullopt.
  std::optional<std::uint32_t> longest_match(const Endpoint& address) const;

 private:
  using U128 = prefix_table_detail::U128;
  template <class Key>
  struct Ranges {
    std::vector<Key> starts;          ///< sorted; starts[0] is the lowest address
    std::vector<std::uint32_t> ids;   ///< the value from starts[i] up to starts[i+1]
    std::vector<std::uint32_t> bucket;  ///< first range whose start has top 16 bits >= b; 65537 long
  };
  template <class Key>
  static void build(Ranges<Key>& ranges, const std::vector<Entry>& entries, int family, std::vector<Repeat>* repeats);
  template <class Key>
  static std::optional<std::uint32_t> find(const Ranges<Key>& ranges, Key key);

  Ranges<std::uint32_t> v4_;
  Ranges<U128> v6_;
};

}  // namespace mxsentry
