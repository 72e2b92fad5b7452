// The backoff of a judging retried after a full disk, in simulated time: 1 s doubling to at
// most 60 s, one log line per streak, nothing due before its time or after success.
#include <catch2/catch.hpp>

#include <vector>

#include "coordinator/service/retry_backoff.h"

using mxsentry::RetryBackoff;

TEST_CASE("retry backoff: 1 s, doubled after each failure, bounded by 60 s", "[retry_backoff]") {
  RetryBackoff b;
  CHECK_FALSE(b.waiting());
  CHECK_FALSE(b.due(0));
  std::vector<std::int64_t> delays;
  std::int64_t now = 5000;
  for (int i = 0; i < 10; ++i) {
    b.failed(now);
    delays.push_back(b.next_ms - now);
    CHECK_FALSE(b.due(b.next_ms - 1));
    CHECK(b.due(b.next_ms));
    now = b.next_ms;
  }
  CHECK(delays == std::vector<std::int64_t>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000});
}

TEST_CASE("retry backoff: only a streak's first failure is to be logged, success ends the streak", "[retry_backoff]") {
  RetryBackoff b;
  CHECK(b.failed(0));
  CHECK_FALSE(b.failed(1000));
  CHECK_FALSE(b.failed(3000));
  CHECK(b.waiting());
  CHECK(b.succeeded() == 3);
  CHECK_FALSE(b.waiting());
  CHECK_FALSE(b.due(1'000'000));
  // A new streak starts over at the first delay.
  CHECK(b.failed(10'000));
  CHECK(b.next_ms == 11'000);
}

TEST_CASE("retry backoff: many failures do not overflow the delay", "[retry_backoff]") {
  RetryBackoff b{.first_ms = 1000, .max_ms = 60000};
  for (int i = 0; i < 200; ++i) b.failed(0);
  CHECK(b.delay_ms() == 60000);
  RetryBackoff small{.first_ms = 50, .max_ms = 200};
  small.failed(0);
  small.failed(0);
  small.failed(0);
  CHECK(small.delay_ms() == 200);
}
