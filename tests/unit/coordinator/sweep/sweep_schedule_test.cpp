// Scheduled sweeps: durations from the config, and when a sweep is due.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>

#include "coordinator/sweep/sweep_schedule.h"

using namespace mxsentry;

TEST_CASE("sweep schedule: durations with a unit or in plain seconds", "[sweep]") {
  CHECK(parse_duration_ms("500ms") == 500);
  CHECK(parse_duration_ms("90s") == 90'000);
  CHECK(parse_duration_ms("90") == 90'000);
  CHECK(parse_duration_ms("15m") == 900'000);
  CHECK(parse_duration_ms("6h") == 21'600'000);
  CHECK(parse_duration_ms("1d") == 86'400'000);
  CHECK(parse_duration_ms("007s") == 7'000);
  CHECK(parse_duration_ms("9223372036854775807ms") == INT64_MAX);
}

TEST_CASE("sweep schedule: anything else is not a duration", "[sweep]") {
  for (const char* text : {"", "s", "ms", "0", "0s", "00h", "-5s", "+5s", "1.5h", "5 s", " 5s", "5s ", "5S", "5sec",
                           "5w", "1h30m", "abc", "9223372036854775808ms", "9223372036854775807s", "106751991167301d",
                           "99999999999999999999999"})
    CHECK_THROWS_AS(parse_duration_ms(text), std::invalid_argument);
  CHECK_THROWS_WITH(parse_duration_ms("0s"), "duration '0s': must be more than zero");
  CHECK_THROWS_WITH(parse_duration_ms("5w"), "duration '5w': expected a number followed by ms, s, m, h or d");
}

TEST_CASE("sweep schedule: a sweep that never ran is due at once", "[sweep]") {
  CHECK(sweep_due(3'600'000, std::nullopt, false, 1'000));
  CHECK_FALSE(sweep_due(3'600'000, std::nullopt, true, 1'000));
}

TEST_CASE("sweep schedule: due once the interval has passed since the last start", "[sweep]") {
  const std::int64_t hour = 3'600'000, start = 1'700'000'000'000;
  CHECK_FALSE(sweep_due(hour, start, false, start));
  CHECK_FALSE(sweep_due(hour, start, false, start + hour - 1));
  CHECK(sweep_due(hour, start, false, start + hour));
  CHECK(sweep_due(hour, start, false, start + 10 * hour));  // missed runs are one run, not many
}

TEST_CASE("sweep schedule: never while a run is still going", "[sweep]") {
  const std::int64_t hour = 3'600'000, start = 1'700'000'000'000;
  CHECK_FALSE(sweep_due(hour, start, true, start + 2 * hour));
}

TEST_CASE("sweep schedule: a sweep without interval is never due on its own", "[sweep]") {
  CHECK_FALSE(sweep_due(0, std::nullopt, false, 1'000));
  CHECK_FALSE(sweep_due(0, 0, false, 1'000'000));
  CHECK_FALSE(sweep_due(-1, std::nullopt, false, 1'000));
}

TEST_CASE("sweep schedule: a clock stepped back", "[sweep]") {
  const std::int64_t hour = 3'600'000, start = 1'700'000'000'000;
  CHECK_FALSE(sweep_due(hour, start, false, start - 1'000));  // a small step: wait a little longer
  CHECK(sweep_due(hour, start, false, start - hour));         // a large step: do not wait for it
  CHECK(sweep_due(hour, INT64_MAX, false, INT64_MIN));        // no overflow
}

TEST_CASE("sweep schedule: a start that failed is tried again a minute later, or after a shorter interval", "[sweep]") {
  ScheduleState never;
  CHECK(start_attempt_due(3'600'000, never, false, 1'000));
  CHECK_FALSE(start_attempt_due(3'600'000, never, true, 1'000));  // running
  ScheduleState failed{std::nullopt, 1'000};
  CHECK_FALSE(start_attempt_due(3'600'000, failed, false, 60'999));
  CHECK(start_attempt_due(3'600'000, failed, false, 61'000));
  CHECK_FALSE(start_attempt_due(10'000, failed, false, 10'999));  // the interval is shorter than a minute
  CHECK(start_attempt_due(10'000, failed, false, 11'000));
  ScheduleState started{1'000, 1'000};
  CHECK_FALSE(start_attempt_due(3'600'000, started, false, 61'000));  // not due: it ran an hour ago at most
  CHECK(start_attempt_due(3'600'000, started, false, 3'601'000));
}
