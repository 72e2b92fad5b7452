#include "prober/core/outstanding_set.h"

namespace mxsentry {

namespace {

std::uint64_t mix64(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

}  // namespace

std::uint64_t dedupe_key(const Endpoint& resolver, std::string_view qname_wire, std::uint16_t qtype) {
  std::uint64_t h = EndpointHash{}(resolver);
  for (unsigned char c : qname_wire) h = mix64(h, (c >= 'A' && c <= 'Z') ? c + 32 : c);
  return mix64(h, qtype);
}

bool OutstandingSet::remove(std::uint64_t key) {
  if (used_ == 0) return false;
  const std::size_t mask = cells_.size() - 1;
  std::size_t i = home(key);
  for (;; i = (i + 1) & mask) {
    if (cells_[i].count == 0) return false;
    if (cells_[i].key == key) break;
  }
  if (--cells_[i].count > 0) return false;
  --used_;
  // Backward-shift deletion: no tombstones, probe sequences stay short.
  for (std::size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
    if (cells_[j].count == 0) break;
    std::size_t h = home(cells_[j].key);
    // Move cell j into the hole at i unless its home lies cyclically in (i, j].
    bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
    if (stays) continue;
    cells_[i] = cells_[j];
    cells_[j] = Cell{};
    i = j;
  }
  cells_[i] = Cell{};
  return true;
}

void OutstandingSet::grow() {
  std::vector<Cell> old = std::move(cells_);
  std::size_t size = old.empty() ? 64 : 2 * old.size();
  cells_.assign(size, Cell{});
  shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(size));
  const std::size_t mask = size - 1;
  for (const Cell& c : old) {
    if (c.count == 0) continue;
    std::size_t i = home(c.key);
    while (cells_[i].count != 0) i = (i + 1) & mask;
    cells_[i] = c;
  }
}

}  // namespace mxsentry
