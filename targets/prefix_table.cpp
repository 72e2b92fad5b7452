#include "targets/prefix_table.h"

#include <algorithm>

namespace mxsentry {

namespace {

using prefix_table_detail::U128;
constexpr std::uint32_t no_value = 0xffffffff;

// Addresses as unsigned integers, so that a prefix is the range [start, end].
std::uint32_t key_of(const std::array<std::uint8_t, 16>& a, std::uint32_t) {
  return std::uint32_t{a[0]} << 24 | std::uint32_t{a[1]} << 16 | std::uint32_t{a[2]} << 8 | a[3];
}

U128 key_of(const std::array<std::uint8_t, 16>& a, U128) {
  U128 k;
  for (int i = 0; i < 8; ++i) k.hi = k.hi << 8 | a[i];
  for (int i = 8; i < 16; ++i) k.lo = k.lo << 8 | a[i];
  return k;
}

// The host part of a prefix of `length` bits (all ones), and operations on keys.
std::uint32_t host_bits(unsigned length, std::uint32_t) { return length >= 32 ? 0 : ~std::uint32_t{0} >> length; }
U128 host_bits(unsigned length, U128) {
  U128 k;
  k.hi = length >= 64 ? 0 : ~std::uint64_t{0} >> length;
  k.lo = length >= 128 ? 0 : length <= 64 ? ~std::uint64_t{0} : ~std::uint64_t{0} >> (length - 64);
  return k;
}
std::uint32_t with_host_bits(std::uint32_t k, std::uint32_t host, bool set) { return set ? (k | host) : (k & ~host); }
U128 with_host_bits(U128 k, U128 host, bool set) {
  if (set) return {k.hi | host.hi, k.lo | host.lo};
  return {k.hi & ~host.hi, k.lo & ~host.lo};
}
std::uint32_t next_key(std::uint32_t k) { return k + 1; }
U128 next_key(U128 k) {
  ++k.lo;
  if (k.lo == 0) ++k.hi;
  return k;
}
bool is_max(std::uint32_t k) { return k == ~std::uint32_t{0}; }
bool is_max(U128 k) {
  return k.hi == ~std::uint64_t{0} && k.lo == ~std::uint64_t{0};
}
std::uint32_t top16(std::uint32_t k) { return k >> 16; }
std::uint32_t top16(U128 k) {
  return static_cast<std::uint32_t>(k.hi >> 48);
}

}  // namespace

template <class Key>
void PrefixTable::build(Ranges<Key>& ranges, const std::vector<Entry>& entries, int family,
                        std::vector<Repeat>* repeats) {
  struct Item {
    Key start, end;
    unsigned length;
    std::uint32_t value;
  };
  std::vector<Item> items;
  for (const auto& e : entries) {
    if (e.prefix.network.family != family) continue;
    Key host = host_bits(e.prefix.length, Key{});
    Key address = key_of(e.prefix.network.address, Key{});
    items.push_back(
        {with_host_bits(address, host, false), with_host_bits(address, host, true), e.prefix.length, e.value});
  }
  // Outer prefixes before the ones they hold; of equal prefixes, the first given first.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.start != b.start ? a.start < b.start : a.length < b.length;
  });

  auto& starts = ranges.starts;
  auto& ids = ranges.ids;
  auto emit = [&](Key at, std::uint32_t id) {
    if (!starts.empty() && starts.back() == at) {
      ids.back() = id;
      if (ids.size() >= 2 && ids[ids.size() - 2] == id) {
        starts.pop_back();
        ids.pop_back();
      }
      return;
    }
    if (!ids.empty() && ids.back() == id) return;
    starts.push_back(at);
    ids.push_back(id);
  };
  emit(Key{}, no_value);
  // The prefixes holding the current address, innermost on top: nested or disjoint, never overlapping.
  std::vector<std::pair<Key, std::uint32_t>> open;
  auto close_until = [&](auto done) {
    while (!open.empty() && done(open.back().first)) {
      Key end = open.back().first;
      open.pop_back();
      if (!is_max(end)) emit(next_key(end), open.empty() ? no_value : open.back().second);
    }
  };
  const Item* previous = nullptr;
  for (const auto& item : items) {
    if (previous && previous->start == item.start && previous->length == item.length) {
      if (repeats) repeats->push_back({previous->value, item.value});
      continue;
    }
    previous = &item;
    close_until([&](const Key& end) { return end < item.start; });
    emit(item.start, item.value);
    open.push_back({item.end, item.value});
  }
  close_until([](const Key&) { return true; });

  ranges.bucket.assign(65537, 0);
  std::size_t i = 0;
  for (std::uint32_t b = 0; b <= 65536; ++b) {
    while (i < starts.size() && top16(starts[i]) < b) ++i;
    ranges.bucket[b] = static_cast<std::uint32_t>(i);
  }
}

template <class Key>
std::optional<std::uint32_t> PrefixTable::find(const Ranges<Key>& ranges, Key key) {
  if (ranges.bucket.empty()) return std::nullopt;  // a default-constructed table
  std::uint32_t b = top16(key);
  auto first = ranges.starts.begin() + ranges.bucket[b], last = ranges.starts.begin() + ranges.bucket[b + 1];
  // The range holding the key starts at or before it: in this bucket, or the last of an earlier one.
  auto at = std::upper_bound(first, last, key) - ranges.starts.begin() - 1;
  std::uint32_t id = ranges.ids[static_cast<std::size_t>(at)];
  if (id == no_value) return std::nullopt;
  return id;
}

PrefixTable::PrefixTable(const std::vector<Entry>& entries, std::vector<Repeat>* repeats) {
  build(v4_, entries, AF_INET, repeats);
  build(v6_, entries, AF_INET6, repeats);
}

std::optional<std::uint32_t> PrefixTable::longest_match(const Endpoint& address) const {
  if (address.family == AF_INET) return find(v4_, key_of(address.address, std::uint32_t{}));
  if (address.family == AF_INET6) return find(v6_, key_of(address.address, U128{}));
  return std::nullopt;
}

}  // namespace mxsentry
