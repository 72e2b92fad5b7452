#pragma once
// What one query may cost a resolver: the limits every way of asking shares (mxsentry's
// commands, the prober's flags, a sweep's TOML definition, the control API, a WORK unit), so
// that a value refused by one entry point is refused by all of them.

#include <cmath>
#include <cstdint>

namespace mxsentry::limits {

// Below 100 ms a distant resolver's honest answer counts as a timeout; beyond 30 s a query
// only holds an engine slot (and a unit's lease) for an answer no resolver still sends.
inline constexpr std::uint32_t min_timeout_ms = 100;
inline constexpr std::uint32_t max_timeout_ms = 30'000;
// Each retry is one more query to someone else's resolver; the engine could do 7.
inline constexpr std::uint32_t max_retries = 5;
// A per-resolver rate is always a limit (never "none"): far above the gentle default of 5,
// and still a rate an operator could ask about.
inline constexpr double max_per_resolver_qps = 1000;

/// A rate towards one resolver: finite, above 0, at most max_per_resolver_qps (NaN is refused:
/// it would compare as no limit at all).
inline bool valid_per_resolver_qps(double qps) {
  return std::isfinite(qps) && qps > 0 && qps <= max_per_resolver_qps;
}

/// A rate over all resolvers: finite and not negative (0 means no cap beyond the per-resolver one).
inline bool valid_total_qps(double qps) { return std::isfinite(qps) && qps >= 0; }

/// A timeout per attempt within [min_timeout_ms, max_timeout_ms].
inline bool valid_timeout_ms(std::int64_t ms) { return ms >= min_timeout_ms && ms <= max_timeout_ms; }

/// A number of retries within [0, max_retries].
inline bool valid_retries(std::int64_t retries) { return retries >= 0 && retries <= max_retries; }

}  // namespace mxsentry::limits
