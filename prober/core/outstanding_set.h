#pragma once
// The queries in flight by (resolver, qname, qtype): open addressing with counts, backward-shift
// deletion, no allocation per query. The engine never has two identical queries outstanding;
// a twin waits until this set no longer holds its key. Inline: every dispatch asks it.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

/// Identity of (resolver, qname, qtype), names compared case-insensitively. A hash collision
/// only makes one task wait for another; it never merges results.
std::uint64_t dedupe_key(const Endpoint& resolver, std::string_view qname_wire, std::uint16_t qtype);

class OutstandingSet {
 public:
  bool contains(std::uint64_t key) const {
    if (used_ == 0) return false;
    const std::size_t mask = cells_.size() - 1;
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
      if (cells_[i].count == 0) return false;
      if (cells_[i].key == key) return true;
    }
  }
  void add(std::uint64_t key) {
    if (2 * (used_ + 1) > cells_.size()) grow();
    const std::size_t mask = cells_.size() - 1;
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
      Cell& c = cells_[i];
      if (c.count == 0) {
        c.key = key;
        c.count = 1;
        ++used_;
        return;
      }
      if (c.key == key) {
        ++c.count;
        return;
      }
    }
  }
  /// Decrements; true when the count reached zero.
  bool remove(std::uint64_t key);

 private:
  struct Cell {
    std::uint64_t key = 0;
    std::uint32_t count = 0;  ///< 0: empty
  };
  std::size_t home(std::uint64_t key) const { return (key * 0x9e3779b97f4a7c15ull) >> shift_; }
  void grow();
  std::vector<Cell> cells_;
  std::size_t used_ = 0;
  unsigned shift_ = 64;
};

}  // namespace mxsentry
