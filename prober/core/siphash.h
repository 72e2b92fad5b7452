#pragma once
// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF"): a keyed 64-bit hash.
// Keyed with a secret, its outputs cannot be made to collide by someone who does not know the
// key: the query engine compares a first answer against later ones by it, and compact results
// (protocol/answer_sets.h) tell the truth's answers by it. Inline: the engine calls
// it for every record of every answer.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mxsentry {

namespace siphash_detail {

inline std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

/// Eight bytes as a little-endian number, as the algorithm reads them on any host.
inline std::uint64_t load_le64(const char* p) {
  std::uint64_t m;
  std::memcpy(&m, p, 8);
  if constexpr (std::endian::native == std::endian::big) m = __builtin_bswap64(m);
  return m;
}

}  // namespace siphash_detail

/// SipHash-2-4 of `size` bytes at `data` under the 128-bit key (key[0]: its first 8 bytes read
/// little-endian, key[1]: the last 8).
inline std::uint64_t siphash24(const std::uint64_t key[2], const char* data, std::size_t size) {
  using siphash_detail::rotl;
  std::uint64_t v0 = 0x736f6d6570736575ull ^ key[0], v1 = 0x646f72616e646f6dull ^ key[1];
  std::uint64_t v2 = 0x6c7967656e657261ull ^ key[0], v3 = 0x7465646279746573ull ^ key[1];
  auto round = [&] {
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
  };
  const std::size_t whole = size & ~std::size_t{7};
  for (std::size_t i = 0; i < whole; i += 8) {
    std::uint64_t m = siphash_detail::load_le64(data + i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  std::uint64_t last = static_cast<std::uint64_t>(size) << 56;
  for (std::size_t i = whole; i < size; ++i)
    last |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[i])) << (8 * (i - whole));
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xff;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace mxsentry
