#pragma once
// Observations recycled by the query engine: allocated per answer and freed 200 ms later (after
// the linger), they were its most expensive allocation, too large for malloc's fast bins.
// Inline: taking and giving back are on the path of every answer.

#include <cstddef>
#include <memory>
#include <vector>

#include "prober/core/observation.h"

namespace mxsentry {

class ObservationPool {
 public:
  /// An empty observation: a recycled one when there is one.
  std::unique_ptr<Observation> take() {
    if (free_.empty()) return std::make_unique<Observation>();
    std::unique_ptr<Observation> o = std::move(free_.back());
    free_.pop_back();
    return o;
  }
  /// Emptied and kept for reuse; freed when enough are kept already.
  void give_back(std::unique_ptr<Observation> o) {
    if (free_.size() < max_kept) {
      *o = Observation{};
      free_.push_back(std::move(o));
    }
  }

 private:
  static constexpr std::size_t max_kept = 4096;
  std::vector<std::unique_ptr<Observation>> free_;
};

}  // namespace mxsentry
