// Reproducible randomness for mxsentry-resolver-farm: every choice the farm makes about a
// resolver or a name is a hash of the seed and the indices involved, so the same seed gives
// the same farm on every run and machine (std::shuffle and the standard distributions are
// implementation-defined, so they are not used).
#pragma once

#include <cstdint>

namespace mxsentry::farm {

// SplitMix64's finaliser: a good 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// A hash of the seed, a purpose tag (so that two choices about the same resolver differ)
// and up to two indices.
constexpr std::uint64_t draw(std::uint64_t seed, std::uint64_t purpose, std::uint64_t a, std::uint64_t b = 0) {
  return mix64(mix64(mix64(seed ^ (purpose * 0x2545f4914f6cdd1dull)) ^ a) ^ (b + 0x632be59bd9b4e019ull));
}

// A draw as a fraction in [0, 1).
constexpr double unit_interval(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// Purposes of draws (any distinct constants).
enum Purpose : std::uint64_t {
  purpose_shuffle = 1,
  purpose_resolver_params,
  purpose_name_truth,
  purpose_name_geo,
  purpose_forged_pick,
  purpose_forged_address,
  purpose_forged_ttl,
  purpose_cdn,
};

}  // namespace mxsentry::farm
