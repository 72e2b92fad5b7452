// Fuzz target: the analysis thresholds file (TOML). A bad file ends in a ConfigError (TOML
// syntax errors too); a file that is accepted holds only finite weights in [-1, 1] and
// thresholds in order.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coordinator/analysis/analysis_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    mxsentry::AnalysisConfig config = mxsentry::parse_analysis_config(text, "fuzz");
    for (const auto& [code, weight] : config.weights)
      if (!std::isfinite(weight) || weight < -1 || weight > 1) __builtin_trap();
    if (!std::isfinite(config.poisoned_at) || !std::isfinite(config.suspicious_at) ||
        !std::isfinite(config.rare_max_share) || config.suspicious_at > config.poisoned_at)
      __builtin_trap();
  } catch (const mxsentry::ConfigError&) {
  }
  return 0;
}
