#pragma once
// When the coordinator starts its scheduled sweeps (pure: the caller passes the clock). A sweep
// with an interval starts at once the first time, then again each time the interval has passed
// since its previous run started, but never while that run is still going: a slow sweep is
// delayed, never doubled.

#include <cstdint>
#include <optional>
#include <string_view>

namespace mxsentry {

/// "90s", "15m", "6h", "1d", "500ms" or a plain number of seconds → milliseconds. Throws std::invalid_argument on anything else, zero, negative or overflow.
std::int64_t parse_duration_ms(std::string_view text);

/// Whether a scheduled sweep should start now: never while one of its runs is still going; at once when it never ran; else once `interval_ms` has passed since its last run started.
/// An interval of 0 or less (a sweep run only on request) is never due. A clock that stepped
/// back by more than the interval counts as the interval having passed, so that a large step
/// back does not stop the schedule for that long; a smaller step back only delays the run.
bool sweep_due(std::int64_t interval_ms, std::optional<std::int64_t> last_started_ms, bool running, std::int64_t now_ms);

/// A sweep definition's runs: when the last one started, when starting one last failed.
struct ScheduleState {
  std::optional<std::int64_t> last_started_ms;
  std::int64_t last_attempt_ms = 0;
};

/// Whether to try to start a scheduled sweep now: it is due (sweep_due), and a start that failed (a bad file, no prober) is tried again a minute later (or its interval, if shorter), not every tick.
bool start_attempt_due(std::int64_t interval_ms, const ScheduleState& state, bool running, std::int64_t now_ms);

}  // namespace mxsentry
