#pragma once
// The analysis's numbers: how much each piece of evidence counts and where the verdict classes
// begin. Defaults are here; a TOML file (docs/thresholds.toml documents every key) overrides them.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "coordinator/analysis/verdict.h"

namespace mxsentry {

struct AnalysisConfig {
  /// Weight of each evidence code in [-1, 1]. Positive: a reason to suspect a forgery, combined
  /// by noisy-OR. Negative: a reason to believe the answer, which scales the suspicion by
  /// (1 - |weight|). Codes without a weight count for nothing.
  std::map<Evidence, double> weights = default_weights();
  double poisoned_at = 0.8;    ///< suspicion at or above: poisoned
  double suspicious_at = 0.4;  ///< at or above: suspicious; below: variation

  std::size_t rare_max_resolvers = 3;  ///< an answer this few resolvers return is rare ...
  double rare_max_share = 0.05;        ///< ... and so is one returned by at most this share of them
  unsigned same_prefix_v4 = 24;        ///< prefix lengths for same-prefix
  unsigned same_prefix_v6 = 48;
  std::uint32_t ttl_slack_seconds = 0;            ///< TTLs up to truth + slack are not above it
  std::uint32_t countdown_tolerance_seconds = 2;  ///< re-ask: a TTL counted down within this is cached
  std::uint32_t reask_delay_ms = 3000;            ///< how long to wait before asking a resolver again

  static std::map<Evidence, double> default_weights();
  double weight(Evidence e) const;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads TOML text over the defaults; throws ConfigError naming source, key and reason.
AnalysisConfig parse_analysis_config(std::string_view text, const std::string& source);
AnalysisConfig load_analysis_config(const std::string& path);

}  // namespace mxsentry
