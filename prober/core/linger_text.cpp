#include "prober/core/linger_text.h"

#include <algorithm>

namespace mxsentry {

char* LingerText::reserve(std::size_t size, std::uint64_t& chunk) {
  if (chunks_.empty() || used_ + size > chunks_.back().size) {
    Chunk c;
    if (!spare_.empty() && spare_.back().size >= size) {
      c = std::move(spare_.back());
      spare_.pop_back();
    } else {
      c.size = std::max(chunk_size, size);
      c.data.reset(new char[c.size]);
    }
    chunks_.push_back(std::move(c));
    used_ = 0;
  }
  chunk = front_ + chunks_.size() - 1;
  char* at = chunks_.back().data.get() + used_;
  used_ += size;
  return at;
}

void LingerText::release_before(std::uint64_t chunk) {
  while (!chunks_.empty() && front_ < chunk) {
    Chunk c = std::move(chunks_.front());
    chunks_.pop_front();
    ++front_;
    if (spare_.size() < 2 && c.size == chunk_size) spare_.push_back(std::move(c));
  }
}

}  // namespace mxsentry
