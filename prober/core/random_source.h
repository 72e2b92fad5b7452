#pragma once
// Where query IDs and socket choices come from. Production uses the kernel CSPRNG
// (getrandom); tests plug in a seeded generator.

#include <array>
#include <cstddef>
#include <cstdint>

namespace mxsentry {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::uint32_t next_u32() = 0;
  /// Uniform in [0, bound) without modulo bias.
  std::uint32_t uniform(std::uint32_t bound);
};

/// getrandom(2), read in 4 KiB blocks so a query costs no system call.
class SystemRandom final : public RandomSource {
 public:
  std::uint32_t next_u32() override;

 private:
  void refill();
  std::array<std::uint32_t, 1024> block_{};
  std::size_t used_ = block_.size();
};

/// Deterministic xorshift for tests; not for production.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ull) {}
  std::uint32_t next_u32() override {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<std::uint32_t>(state_ >> 16);
  }

 private:
  std::uint64_t state_;
};

}  // namespace mxsentry
