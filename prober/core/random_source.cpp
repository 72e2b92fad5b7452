#include "prober/core/random_source.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <sys/random.h>

namespace mxsentry {

std::uint32_t RandomSource::uniform(std::uint32_t bound) {
  if (bound <= 1) return 0;
  std::uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
  while (true) {
    std::uint32_t v = next_u32();
    if (v < limit) return v % bound;
  }
}

std::uint32_t SystemRandom::next_u32() {
  if (used_ == block_.size()) refill();
  return block_[used_++];
}

void SystemRandom::refill() {
  auto* bytes = reinterpret_cast<unsigned char*>(block_.data());
  std::size_t want = sizeof block_, got = 0;
  while (got < want) {
    ssize_t n = getrandom(bytes + got, want - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  used_ = 0;
}

}  // namespace mxsentry
