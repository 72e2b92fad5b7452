#pragma once
// When to try again after a failure that time may mend (a full disk): first after `first_ms`,
// then twice as long after each failure of the streak, never longer than `max_ms`. Pure, in
// simulated time (every call takes `now`, ms); the caller tries when due() and reports back.

#include <algorithm>
#include <cstdint>

namespace mxsentry {

struct RetryBackoff {
  std::int64_t first_ms = 1000;
  std::int64_t max_ms = 60000;
  std::uint32_t failures = 0;  ///< of the current streak; 0: nothing to try again
  std::int64_t next_ms = 0;    ///< when to try again, after a failure

  /// The wait after the streak's failures so far (first_ms after the first one).
  std::int64_t delay_ms() const {
    if (failures == 0) return 0;
    std::int64_t delay = first_ms;
    for (std::uint32_t i = 1; i < failures && delay < max_ms; ++i) delay *= 2;
    return std::min(delay, max_ms);
  }
  /// A try failed at `now`. Returns true when this failure starts a streak (the one to log).
  bool failed(std::int64_t now) {
    ++failures;
    next_ms = now + delay_ms();
    return failures == 1;
  }
  /// A try succeeded: the streak is over. Returns how many failures it had.
  std::uint32_t succeeded() {
    std::uint32_t streak = failures;
    failures = 0;
    next_ms = 0;
    return streak;
  }
  bool waiting() const { return failures > 0; }
  bool due(std::int64_t now) const { return failures > 0 && now >= next_ms; }
};

}  // namespace mxsentry
