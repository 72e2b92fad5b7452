#include "coordinator/sweep/sweep_schedule.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace mxsentry {

std::int64_t parse_duration_ms(std::string_view text) {
  auto fail = [&](const char* why) -> std::int64_t {
    throw std::invalid_argument("duration '" + std::string(text) + "': " + why);
  };
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return fail("expected a number followed by ms, s, m, h or d");
  std::string_view unit = text.substr(digits);
  std::int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1000;
  else if (unit == "ms") scale = 1;
  else if (unit == "m") scale = 60'000;
  else if (unit == "h") scale = 3'600'000;
  else if (unit == "d") scale = 86'400'000;
  else return fail("expected a number followed by ms, s, m, h or d");
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    int d = text[i] - '0';
    if (value > (max - d) / 10) return fail("too large");
    value = value * 10 + d;
  }
  if (value == 0) return fail("must be more than zero");
  if (value > max / scale) return fail("too large");
  return value * scale;
}

bool sweep_due(std::int64_t interval_ms, std::optional<std::int64_t> last_started_ms, bool running, std::int64_t now_ms) {
  if (running || interval_ms <= 0) return false;
  if (!last_started_ms) return true;
  // Unsigned differences: exact for any pair of int64 values, no overflow.
  std::uint64_t gap = now_ms >= *last_started_ms
                          ? static_cast<std::uint64_t>(now_ms) - static_cast<std::uint64_t>(*last_started_ms)
                          : static_cast<std::uint64_t>(*last_started_ms) - static_cast<std::uint64_t>(now_ms);
  return gap >= static_cast<std::uint64_t>(interval_ms);
}

bool start_attempt_due(std::int64_t interval_ms, const ScheduleState& state, bool running, std::int64_t now_ms) {
  if (!sweep_due(interval_ms, state.last_started_ms, running, now_ms)) return false;
  return state.last_attempt_ms <= 0 || now_ms - state.last_attempt_ms >= std::min<std::int64_t>(60'000, interval_ms);
}

}  // namespace mxsentry
