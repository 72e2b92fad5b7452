// The behaviours a farm resolver can have, and the mix of them given on the command line
// ("honest=0.9,poisoned=0.02,..."). Pure: no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mxsentry::farm {

enum class Behaviour : std::uint8_t {
  honest,     // the true answer set and TTL
  poisoned,   // forged addresses for some names, raised TTL counting down like a cache
  cdn,        // addresses from a pool in the truth's /24 (/48), not the truth's own
  geo,        // the second answer set the zone's other server gives (in the truth)
  slow,       // honest, after a delay
  lossy,      // honest, but drops a share of queries
  servfail,   // SERVFAIL to everything
  refused,    // REFUSED to everything
  silent,     // never answers
  ratelimit,  // honest up to N queries a second, then drops or REFUSED
};
inline constexpr std::size_t behaviour_count = 10;

std::string_view behaviour_name(Behaviour b);
std::optional<Behaviour> behaviour_from_name(std::string_view name);

// The share of resolvers with each behaviour, indexed by Behaviour; the shares sum to 1.
struct Mix {
  std::array<double, behaviour_count> share{};
  double operator[](Behaviour b) const { return share[static_cast<std::size_t>(b)]; }
};

// Parses "NAME=FRACTION,...". Each fraction is a finite number in [0, 1]; a name appears at
// most once. Without `honest`, honest resolvers are what the others leave; with it, the
// fractions must sum to 1 (within 1e-9). Throws std::invalid_argument saying what is wrong.
Mix parse_mix(std::string_view text);

// "honest=0.9,poisoned=0.02,..." (non-zero shares only), as the ground truth file records it.
std::string to_string(const Mix& mix);

}  // namespace mxsentry::farm
