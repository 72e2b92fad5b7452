#pragma once
// A token bucket in caller-supplied time (microseconds): rate limits stay testable.

#include <algorithm>
#include <cstdint>

namespace mxsentry {

/// The bucket size for a rate: at least `configured`, and at least 10 ms worth of the rate. An
/// event loop takes tokens once per turn; a bucket of one token would cut a rate far above the
/// loop's pace to one query per turn. Gentle rates (a few per second) keep the configured size.
inline double burst_for_rate(double rate_per_second, double configured) {
  return std::max({1.0, configured, rate_per_second / 100.0});
}

class TokenBucket {
 public:
  /// rate_per_second <= 0 means unlimited. burst is the bucket size (at least one token).
  TokenBucket(double rate_per_second, double burst, std::uint64_t now_us)
      : rate_(rate_per_second), burst_(std::max(1.0, burst)), tokens_(burst_), last_us_(now_us) {}

  bool unlimited() const { return rate_ <= 0; }

  /// Takes one token if there is one.
  bool try_take(std::uint64_t now_us) {
    if (unlimited()) return true;
    refill(now_us);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

  /// Takes one token even if that leaves the bucket in debt: a retransmission reserves its
  /// token at once and goes when the debt is paid (paid_up_us), new queries wait behind it.
  void force_take(std::uint64_t now_us) {
    if (unlimited()) return;
    refill(now_us);
    tokens_ -= 1.0;
  }

  /// Earliest time at which try_take will succeed.
  std::uint64_t next_available_us(std::uint64_t now_us) const {
    if (unlimited()) return now_us;
    double tokens = std::min(burst_, tokens_ + elapsed_s(now_us) * rate_);
    if (tokens >= 1.0) return now_us;
    return now_us + static_cast<std::uint64_t>((1.0 - tokens) / rate_ * 1e6) + 1;
  }

  /// Earliest time at which the bucket is out of debt: when a token taken by force_take is
  /// covered, so that something sent then keeps to the rate.
  std::uint64_t paid_up_us(std::uint64_t now_us) const {
    if (unlimited()) return now_us;
    double tokens = std::min(burst_, tokens_ + elapsed_s(now_us) * rate_);
    if (tokens >= 0.0) return now_us;
    return now_us + static_cast<std::uint64_t>(-tokens / rate_ * 1e6) + 1;
  }

  /// True when the bucket is full again: forgetting it changes nothing.
  bool at_rest(std::uint64_t now_us) const {
    return unlimited() || tokens_ + elapsed_s(now_us) * rate_ >= burst_;
  }

 private:
  double elapsed_s(std::uint64_t now_us) const {
    return now_us > last_us_ ? static_cast<double>(now_us - last_us_) / 1e6 : 0.0;
  }
  void refill(std::uint64_t now_us) {
    tokens_ = std::min(burst_, tokens_ + elapsed_s(now_us) * rate_);
    if (now_us > last_us_) last_us_ = now_us;
  }

  double rate_;
  double burst_;
  double tokens_;
  std::uint64_t last_us_;
};

}  // namespace mxsentry
