#include "tests/tools/farm_profile.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tests/tools/farm_random.hpp"

namespace mxsentry::farm {

namespace {

// How many resolvers get each behaviour: floor of share x count, then one more for the
// largest remainders until the total is `count`.
std::vector<std::uint32_t> counts_of(const Mix& mix, std::uint32_t count) {
  std::vector<std::uint32_t> counts(behaviour_count);
  std::vector<double> remainder(behaviour_count);
  std::uint32_t given = 0;
  for (std::size_t i = 0; i < behaviour_count; ++i) {
    const double exact = mix.share[i] * count;
    counts[i] = static_cast<std::uint32_t>(std::floor(exact));
    remainder[i] = exact - counts[i];
    given += counts[i];
  }
  std::vector<std::size_t> order(behaviour_count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < count; k = (k + 1) % behaviour_count) {
    if (mix.share[order[k]] == 0) continue;  // a behaviour left out stays out
    ++counts[order[k]];
    ++given;
  }
  return counts;
}

void draw_parameters(ResolverProfile& p, std::uint64_t h) {
  switch (p.behaviour) {
    case Behaviour::slow: p.delay_ms = static_cast<std::uint16_t>(200 + h % 1001); break;
    case Behaviour::lossy: p.loss_permille = static_cast<std::uint16_t>(200 + h % 301); break;
    case Behaviour::ratelimit:
      p.rate_per_second = static_cast<std::uint16_t>(1 + h % 3);
      p.refuse_over_rate = (h >> 8) % 2 == 0;
      break;
    default: break;
  }
}

}  // namespace

std::vector<ResolverProfile> draw_profiles(const Mix& mix, std::uint32_t count, std::uint64_t seed) {
  std::vector<ResolverProfile> profiles;
  profiles.reserve(count);
  const auto counts = counts_of(mix, count);
  for (std::size_t b = 0; b < behaviour_count; ++b)
    profiles.insert(profiles.end(), counts[b], ResolverProfile{static_cast<Behaviour>(b)});
  // Fisher-Yates with our own draws (std::shuffle differs between standard libraries).
  for (std::uint32_t i = count; i > 1; --i) {
    const std::uint32_t j = static_cast<std::uint32_t>(draw(seed, purpose_shuffle, i) % i);
    std::swap(profiles[i - 1], profiles[j]);
  }
  for (std::uint32_t i = 0; i < count; ++i) draw_parameters(profiles[i], draw(seed, purpose_resolver_params, i));
  return profiles;
}

void write_ground_truth(std::ostream& out, const ZoneModel& model, const Mix& mix,
                        const std::vector<ResolverProfile>& profiles, std::uint32_t first_address) {
  out << "# mxsentry-resolver-farm ground truth\n"
      << "# seed " << model.seed << "\n# zone " << model.zone << "\n# zones " << model.zones << "\n# names "
      << model.names << "\n# mix "
      << to_string(mix) << "\n# forged_share " << model.forged_share << "\n";
  for (std::uint32_t i = 0; i < profiles.size(); ++i) {
    const ResolverProfile& p = profiles[i];
    out << ipv4_string(first_address + i) << ' ' << behaviour_name(p.behaviour);
    switch (p.behaviour) {
      case Behaviour::slow: out << " delay_ms=" << p.delay_ms; break;
      case Behaviour::lossy: out << " loss_permille=" << p.loss_permille; break;
      case Behaviour::ratelimit:
        out << " rate_per_second=" << p.rate_per_second << " over_rate=" << (p.refuse_over_rate ? "refused" : "dropped");
        break;
      case Behaviour::poisoned:
        for (std::uint32_t name = 0; name < model.names; ++name) {
          if (!forges(model, i, name)) continue;
          // The addresses only: the TTL depends on when the resolver is asked.
          const AnswerSet forged = forged_answer(model, i, name, 0);
          out << ' ' << model.name(name) << '=' << ipv4_string(forged.v4[0]) << ',' << ipv6_string(forged.v6[0]);
        }
        break;
      default: break;
    }
    out << '\n';
  }
}

}  // namespace mxsentry::farm
