// Fuzz target: mxsentry-coordinator's TOML settings file (its flags' keys with their limits,
// opt-out lists, sweep definitions). A bad file ends in a TOML parse error or a
// std::runtime_error naming the key; a file that is accepted leaves every limited setting
// inside its flag's range.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include <toml++/toml.h>

#include "coordinator/cli/coordinator_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mxsentry::CoordinatorOptions options;
  try {
    mxsentry::read_coordinator_config_text(text, "fuzz.toml", options);
    using mxsentry::heartbeat_ms_bounds, mxsentry::lease_ms_bounds, mxsentry::unit_size_bounds;
    const auto inside = [](auto value, mxsentry::SettingBounds b) {
      return static_cast<std::int64_t>(value) >= b.min && static_cast<std::int64_t>(value) <= b.max;
    };
    if (!inside(options.unit_size, unit_size_bounds) || !inside(options.ledger.lease_ms, lease_ms_bounds) ||
        !inside(options.ledger.heartbeat_ms, heartbeat_ms_bounds) || options.ledger.missed_heartbeats == 0)
      __builtin_trap();
  } catch (const toml::parse_error&) {
  } catch (const std::runtime_error&) {
  }
  return 0;
}
