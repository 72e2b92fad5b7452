#pragma once
// Which query owns (socket, ID). Open addressing with linear probing over (key, slot) pairs,
// sized for the live keys (in flight and lingering), so that the table stays in cache: a flat
// array over every possible (socket, ID) is 8 MiB with 32 sockets and every access to it a
// cache miss; a node-based hash map cost a malloc and two cache misses per packet.

#include <cstdint>
#include <vector>

namespace mxsentry {

class QueryIdTable {
 public:
  static constexpr std::uint32_t empty = UINT32_MAX;

  explicit QueryIdTable(std::uint32_t sockets) : sockets_(sockets) { rehash(1024); }

  /// The slot registered for key (socket << 16 | id), or `empty`.
  std::uint32_t find(std::uint32_t key) const {
    if ((key >> 16) >= sockets_) return empty;
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      const Cell& c = cells_[i];
      if (c.value == 0) return empty;
      if (c.key == key) return c.value - 1;
    }
  }
  bool contains(std::uint32_t key) const { return find(key) != empty; }
  /// Starts loading the cell where `key` would be (before a batch of lookups).
  void prefetch(std::uint32_t key) const { __builtin_prefetch(&cells_[home(key)]); }
  /// Registers or re-registers key.
  void insert(std::uint32_t key, std::uint32_t slot) {
    if (2 * (used_ + 1) > cells_.size()) rehash(2 * cells_.size());
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      Cell& c = cells_[i];
      if (c.value == 0) {
        c = Cell{key, slot + 1};
        ++used_;
        return;
      }
      if (c.key == key) {
        c.value = slot + 1;
        return;
      }
    }
  }
  void erase(std::uint32_t key) {
    std::size_t i = home(key);
    for (;; i = (i + 1) & mask_) {
      if (cells_[i].value == 0) return;
      if (cells_[i].key == key) break;
    }
    --used_;
    // Backward-shift deletion: no tombstones, so probe sequences stay short.
    for (std::size_t j = (i + 1) & mask_; cells_[j].value != 0; j = (j + 1) & mask_) {
      const std::size_t h = home(cells_[j].key);
      const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      cells_[i] = cells_[j];
      i = j;
    }
    cells_[i] = Cell{};
  }
  std::size_t size() const { return used_; }

 private:
  struct Cell {
    std::uint32_t key = 0;
    std::uint32_t value = 0;  ///< slot + 1; 0 is an empty cell
  };
  std::size_t home(std::uint32_t key) const {
    return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ull) >> shift_);
  }
  void rehash(std::size_t size) {
    std::vector<Cell> old = std::move(cells_);
    cells_.assign(size, Cell{});
    mask_ = size - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(size));
    for (const Cell& c : old) {
      if (c.value == 0) continue;
      std::size_t i = home(c.key);
      while (cells_[i].value != 0) i = (i + 1) & mask_;
      cells_[i] = c;
    }
  }

  std::uint32_t sockets_;
  std::vector<Cell> cells_;
  std::size_t used_ = 0;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

}  // namespace mxsentry
