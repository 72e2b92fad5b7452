#pragma once
// The text of lingering queries (question name in wire form, then the rendered line), in
// acceptance order, in fixed-size chunks numbered in sequence: a chunk is recycled once the
// linger of its last query ended. Nothing is copied when the number of lingering queries
// grows, and no allocation is made per query once a couple of chunks are spare.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace mxsentry {

class LingerText {
 public:
  /// Room for `size` bytes after everything reserved before; `chunk` gets the number of the
  /// chunk that holds it.
  char* reserve(std::size_t size, std::uint64_t& chunk);
  /// Every chunk before `chunk` is done with: recycled (a couple are kept spare) or freed.
  void release_before(std::uint64_t chunk);
  /// The number of the newest chunk: when nothing lingers, every chunk before it can go.
  std::uint64_t newest() const { return front_ + chunks_.size() - 1; }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
  };
  static constexpr std::size_t chunk_size = 256 * 1024;
  std::deque<Chunk> chunks_;  ///< in use, oldest first
  std::uint64_t front_ = 0;   ///< number of chunks_.front()
  std::size_t used_ = 0;      ///< bytes used in chunks_.back()
  std::vector<Chunk> spare_;
};

}  // namespace mxsentry
