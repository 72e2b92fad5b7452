#pragma once
// Which query owns (socket, ID): a flat table, one slot per possible pair. calloc'd so the
// kernel maps pages only as IDs are used; no allocation or hashing per query (a hash map here
// cost a malloc and two cache misses per packet at 150k queries/s).

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace mxsentry {

class QueryIdTable {
 public:
  static constexpr std::uint32_t empty = UINT32_MAX;

  explicit QueryIdTable(std::uint32_t sockets)
      : sockets_(sockets),
        cells_(static_cast<std::uint32_t*>(std::calloc(static_cast<std::size_t>(sockets) << 16, sizeof(std::uint32_t)))) {
    if (!cells_) throw std::bad_alloc();
  }

  /// The slot registered for key (socket << 16 | id), or `empty`.
  std::uint32_t find(std::uint32_t key) const {
    if ((key >> 16) >= sockets_) return empty;
    return cells_.get()[key] - 1;  // stored +1 so that calloc's zero means empty
  }
  bool contains(std::uint32_t key) const { return find(key) != empty; }
  void insert(std::uint32_t key, std::uint32_t slot) { cells_.get()[key] = slot + 1; }
  void erase(std::uint32_t key) { cells_.get()[key] = 0; }

 private:
  struct Free {
    void operator()(std::uint32_t* p) const { std::free(p); }
  };
  std::uint32_t sockets_;
  std::unique_ptr<std::uint32_t, Free> cells_;
};

}  // namespace mxsentry
