#pragma once
// How many more units the coordinator may send this prober (pure). A unit takes two slots: a
// feeding slot while its tasks wait in the feed (given back as soon as the engine has taken its
// last task), and a holding slot until its DONE has gone out. Credit follows the feeding slots,
// so a unit that waits only for its slowest resolvers (a silent one costs every try's timeout)
// no longer keeps the engine short of work; the holding slots bound how many such units are
// open at once. The coordinator is told the holding slots as the capacity in HELLO and never
// has more units out than that; READY gives it what is free in both, minus the credit it
// already has.

#include <algorithm>
#include <cstdint>

namespace mxsentry {

class UnitCredit {
 public:
  /// `feeding` >= 1; the holding slots are at least the feeding ones.
  UnitCredit(std::uint32_t feeding, std::uint32_t holding)
      : feeding_(std::max<std::uint32_t>(feeding, 1)), holding_(std::max(holding, feeding_)) {}

  /// Units held at most (the capacity the HELLO declares).
  std::uint32_t holding_slots() const { return holding_; }
  std::uint32_t feeding_slots() const { return feeding_; }

  /// HELLO: the coordinator starts again from no credit.
  void reset() { given_ = 0; }
  /// An ordinary unit arrived: it used one credit (if the coordinator kept count, it had one).
  void unit_arrived() {
    if (given_ > 0) --given_;
  }
  /// Whether an ordinary unit may start now, given the units still feeding and those held.
  bool has_room(std::uint32_t feeding, std::uint32_t held) const { return feeding < feeding_ && held < holding_; }
  /// The credit to give now (READY), given the units still feeding and those held: what is
  /// free in both, less what the coordinator has already. 0: nothing to say.
  std::uint32_t offer(std::uint32_t feeding, std::uint32_t held) {
    std::uint32_t free_feeding = feeding < feeding_ ? feeding_ - feeding : 0;
    std::uint32_t free_holding = held < holding_ ? holding_ - held : 0;
    std::uint32_t free = std::min(free_feeding, free_holding);
    if (free <= given_) return 0;
    std::uint32_t more = free - given_;
    given_ = free;
    return more;
  }
  /// The READY of `credit` could not be sent: the coordinator does not have it.
  void not_given(std::uint32_t credit) { given_ -= std::min(credit, given_); }

 private:
  std::uint32_t feeding_;
  std::uint32_t holding_;
  std::uint32_t given_ = 0;  ///< credit the coordinator holds and has not used
};

}  // namespace mxsentry
