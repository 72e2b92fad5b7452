// Who each farm resolver is: its behaviour and the parameters of it, drawn reproducibly from
// the seed, and the ground truth file that says so. Pure: no I/O.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "tests/tools/farm_mix.hpp"
#include "tests/tools/farm_zone.hpp"

namespace mxsentry::farm {

struct ResolverProfile {
  Behaviour behaviour = Behaviour::honest;
  std::uint16_t delay_ms = 0;         // slow: 200..1200
  std::uint16_t loss_permille = 0;    // lossy: 200..500
  std::uint16_t rate_per_second = 0;  // ratelimit: 1..3 answers a second
  bool refuse_over_rate = false;      // ratelimit: REFUSED past the rate (else dropped)
};

// `count` profiles. The number with each behaviour is its share of `count` rounded by largest
// remainder (so the counts always add up to `count`), and which resolvers get which is a
// seeded shuffle: the same (mix, count, seed) gives the same farm.
std::vector<ResolverProfile> draw_profiles(const Mix& mix, std::uint32_t count, std::uint64_t seed);

// The ground truth: '#' header lines (seed, zone, zones, names, mix), then one line per resolver:
//   ADDRESS BEHAVIOUR [key=value ...] [NAME=IPv4,IPv6 ...]
// where key=value are the behaviour's parameters (delay_ms, loss_permille, rate_per_second,
// over_rate=refused|dropped) and, for a poisoned resolver, each name it forges with the
// addresses it gives for it. `first_address` is the first resolver's IPv4 address (host
// order); resolver i is first_address + i.
void write_ground_truth(std::ostream& out, const ZoneModel& model, const Mix& mix,
                        const std::vector<ResolverProfile>& profiles, std::uint32_t first_address);

}  // namespace mxsentry::farm
