// TokenBucket in simulated time (microseconds): nothing here reads a clock.

#include <catch2/catch.hpp>

#include <cstdint>

#include "prober/core/token_bucket.h"

using mxsentry::TokenBucket;

TEST_CASE("TokenBucket rate 5/s burst 1: one now, the next 200 ms later", "[token_bucket]") {
  const std::uint64_t t0 = 1'000'000'000;  // an arbitrary start, not zero
  TokenBucket bucket(5, 1, t0);
  CHECK_FALSE(bucket.unlimited());
  CHECK(bucket.next_available_us(t0) == t0);
  CHECK(bucket.try_take(t0));
  CHECK_FALSE(bucket.try_take(t0));
  CHECK_FALSE(bucket.try_take(t0 + 100'000));
  CHECK_FALSE(bucket.try_take(t0 + 199'999));

  const std::uint64_t next = bucket.next_available_us(t0 + 199'999);
  CHECK(next >= t0 + 200'000);
  CHECK(next <= t0 + 200'001);
  CHECK(bucket.try_take(next));
  CHECK_FALSE(bucket.try_take(next));

  // The next one is again 200 ms after that.
  const std::uint64_t after = bucket.next_available_us(next);
  CHECK(after >= next + 200'000);
  CHECK(after <= next + 200'001);
  CHECK_FALSE(bucket.try_take(next + 150'000));
  CHECK(bucket.try_take(next + 200'001));
}

TEST_CASE("TokenBucket burst allows that many at once, then paces", "[token_bucket]") {
  TokenBucket bucket(10, 3, 0);
  CHECK(bucket.try_take(0));
  CHECK(bucket.try_take(0));
  CHECK(bucket.try_take(0));
  CHECK_FALSE(bucket.try_take(0));
  const std::uint64_t next = bucket.next_available_us(0);
  CHECK(next >= 100'000);
  CHECK(next <= 100'001);
  CHECK_FALSE(bucket.try_take(99'000));
  CHECK(bucket.try_take(100'001));
  CHECK_FALSE(bucket.try_take(100'001));

  // A long rest refills to the burst size, not beyond it.
  const std::uint64_t later = 60'000'000;
  CHECK(bucket.at_rest(later));
  CHECK(bucket.next_available_us(later) == later);
  CHECK(bucket.try_take(later));
  CHECK(bucket.try_take(later));
  CHECK(bucket.try_take(later));
  CHECK_FALSE(bucket.try_take(later));
}

TEST_CASE("TokenBucket burst below one is one", "[token_bucket]") {
  TokenBucket zero(5, 0, 0);
  CHECK(zero.try_take(0));
  CHECK_FALSE(zero.try_take(0));
  TokenBucket fraction(5, 0.25, 0);
  CHECK(fraction.try_take(0));
  CHECK_FALSE(fraction.try_take(0));
  CHECK_FALSE(fraction.try_take(199'000));
  CHECK(fraction.try_take(200'001));
}

TEST_CASE("TokenBucket force_take goes into debt that delays the next try_take", "[token_bucket]") {
  TokenBucket bucket(5, 1, 0);
  CHECK(bucket.try_take(0));  // 0 tokens
  bucket.force_take(0);       // -1
  bucket.force_take(0);       // -2: three tokens short of one
  const std::uint64_t next = bucket.next_available_us(0);
  CHECK(next >= 600'000);
  CHECK(next <= 600'001);
  CHECK_FALSE(bucket.try_take(200'001));  // -1 token
  CHECK_FALSE(bucket.try_take(400'001));  // about 0
  CHECK_FALSE(bucket.try_take(599'000));
  CHECK_FALSE(bucket.at_rest(599'000));
  CHECK(bucket.try_take(600'001));
  CHECK_FALSE(bucket.try_take(600'001));

  // force_take on a full bucket just takes a token.
  TokenBucket full(5, 2, 0);
  full.force_take(0);
  CHECK(full.try_take(0));
  CHECK_FALSE(full.try_take(0));
}

TEST_CASE("TokenBucket with rate 0 or below is unlimited", "[token_bucket]") {
  for (double rate : {0.0, -1.0}) {
    INFO("rate " << rate);
    TokenBucket bucket(rate, 1, 500);
    CHECK(bucket.unlimited());
    for (int i = 0; i < 1000; ++i) REQUIRE(bucket.try_take(500));
    bucket.force_take(500);
    bucket.force_take(500);
    CHECK(bucket.next_available_us(500) == 500);
    CHECK(bucket.next_available_us(12345) == 12345);
    CHECK(bucket.at_rest(500));
    CHECK(bucket.try_take(0));  // even at a time before its creation
  }
}

TEST_CASE("TokenBucket at_rest is true exactly when the bucket is full again", "[token_bucket]") {
  TokenBucket bucket(5, 2, 0);
  CHECK(bucket.at_rest(0));
  CHECK(bucket.try_take(0));
  CHECK_FALSE(bucket.at_rest(0));
  CHECK_FALSE(bucket.at_rest(199'000));
  CHECK(bucket.at_rest(200'001));
  CHECK(bucket.at_rest(10'000'000));

  // at_rest only looks: the bucket still holds the one token left at time 0 (and asking at a
  // time earlier than the last refill does not refill).
  CHECK(bucket.try_take(0));
  CHECK_FALSE(bucket.try_take(0));
  CHECK_FALSE(bucket.at_rest(200'001));  // one token back, two needed
  CHECK(bucket.at_rest(400'001));
}

TEST_CASE("TokenBucket next_available_us is exact to the microsecond", "[token_bucket]") {
  struct Case {
    double rate;
    double expected_us;  // after one take from a burst-1 bucket
  };
  for (Case c : {Case{3, 1e6 / 3}, Case{7, 1e6 / 7}, Case{1000, 1000}, Case{0.5, 2e6}, Case{1e6, 1},
                 Case{33.3, 1e6 / 33.3}}) {
    INFO("rate " << c.rate);
    const std::uint64_t t0 = 5'000'000;
    TokenBucket bucket(c.rate, 1, t0);
    REQUIRE(bucket.try_take(t0));
    const std::uint64_t next = bucket.next_available_us(t0);
    const double wait = static_cast<double>(next - t0);
    CHECK(wait >= c.expected_us);
    CHECK(wait <= c.expected_us + 1.0);
    // Asked from any earlier time in between, the same time to the microsecond.
    const std::uint64_t mid = t0 + (next - t0) / 2;
    const double from_mid = static_cast<double>(bucket.next_available_us(mid) - t0);
    if (static_cast<double>(mid - t0) < c.expected_us) {
      CHECK(from_mid >= c.expected_us);
      CHECK(from_mid <= c.expected_us + 1.0);
    } else {
      CHECK(from_mid == static_cast<double>(mid - t0));  // already available at mid
    }
    if (wait - 1.0 < c.expected_us) {  // one microsecond early is too early
      CHECK_FALSE(bucket.try_take(next - 1));
    }
    CHECK(bucket.try_take(next));
  }
}

TEST_CASE("TokenBucket paced by next_available_us never refuses and keeps the rate", "[token_bucket]") {
  for (double rate : {5.0, 3.0, 7.0, 1000.0, 12345.0}) {
    INFO("rate " << rate);
    TokenBucket bucket(rate, 1, 0);
    std::uint64_t t = 0;
    const int takes = 1000;
    for (int i = 0; i < takes; ++i) {
      t = bucket.next_available_us(t);
      REQUIRE(bucket.try_take(t));
    }
    // The first take at 0, then one every 1/rate: the last no earlier than the ideal schedule
    // and late by at most the 1 us rounding per take.
    const double ideal_us = (takes - 1) / rate * 1e6;
    CHECK(static_cast<double>(t) >= ideal_us - 1.0);
    CHECK(static_cast<double>(t) <= ideal_us + takes);
  }
}

TEST_CASE("TokenBucket polled in simulated time lets exactly rate * time + burst through", "[token_bucket]") {
  // Polling every 1 ms for 10 s at 200/s (a token every 5 polls).
  TokenBucket polled(200, 1, 0);
  int taken = 0;
  std::uint64_t last = 0;
  for (std::uint64_t now = 0; now <= 10'000'000; now += 1000)
    if (polled.try_take(now)) {
      ++taken;
      last = now;
    }
  CHECK(taken == 2001);
  CHECK(last == 10'000'000);

  // With a burst of 10 and polling every 50 us at 1000/s: 10 at once, then one per ms.
  TokenBucket burst(1000, 10, 0);
  taken = 0;
  for (std::uint64_t now = 0; now <= 1'000'000; now += 50)
    if (burst.try_take(now)) ++taken;
  CHECK(taken == 1010);
}

TEST_CASE("burst_for_rate holds 10 ms of the rate, never less than configured or one", "[token_bucket]") {
  CHECK(mxsentry::burst_for_rate(5, 1) == 1);
  CHECK(mxsentry::burst_for_rate(5, 4) == 4);
  CHECK(mxsentry::burst_for_rate(1000, 1) == 10);
  CHECK(mxsentry::burst_for_rate(100000000, 1) == 1000000);
  CHECK(mxsentry::burst_for_rate(0, 0) == 1);  // unlimited buckets ignore it; still sane
}

TEST_CASE("token bucket: a token taken in debt is due when the debt is paid", "[rate]") {
  TokenBucket b(10, 1, 0);  // one token per 100 ms
  CHECK(b.paid_up_us(0) == 0);
  REQUIRE(b.try_take(0));
  b.force_take(30'000);  // 0.3 tokens back, 0.7 owed: due 70 ms later
  CHECK(b.paid_up_us(30'000) >= 100'000);
  CHECK(b.paid_up_us(30'000) <= 100'010);
  CHECK(b.paid_up_us(100'010) == 100'010);
  CHECK(b.next_available_us(100'010) >= 200'000);  // a new query one token after it
  TokenBucket unlimited(0, 1, 0);
  unlimited.force_take(5);
  CHECK(unlimited.paid_up_us(5) == 5);
}
