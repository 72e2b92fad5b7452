#pragma once
// mxsentry-coordinator's settings: its flags and its TOML file hold the same keys with the same
// limits, so a value the command line refuses is refused in the file too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "coordinator/service/coordinator_service.h"

namespace mxsentry {

struct SettingBounds {
  std::int64_t min, max;
};

// Service limits (the engine's own limits are in prober/core/limits.h).
inline constexpr SettingBounds unit_size_bounds{1, 20'000};
inline constexpr SettingBounds lease_ms_bounds{100, 86'400'000};
inline constexpr SettingBounds heartbeat_ms_bounds{50, 60'000};
inline constexpr SettingBounds truth_wait_ms_bounds{0, 3'600'000};

/// Adds the coordinator's flags to `app`; `config` receives --config.
void add_coordinator_options(CLI::App& app, CoordinatorOptions& options, std::string& config);

/// The file --config names ("--config FILE" or "--config=FILE"; the last one wins), found
/// before the parser runs because the flags go over the file's settings.
std::optional<std::string> config_file_argument(int argc, const char* const* argv);

/// Reads the TOML file over `options`. Throws std::runtime_error (toml::parse_error for bad
/// syntax) on an unknown key, a value of the wrong type or one outside its flag's limits: a typo
/// must not leave a default in force.
void read_coordinator_config(const std::string& path, CoordinatorOptions& options);
/// The same from TOML text already read; `source` names it in errors.
void read_coordinator_config_text(std::string_view text, const std::string& source, CoordinatorOptions& options);

}  // namespace mxsentry
