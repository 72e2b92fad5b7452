#pragma once
// A prober's results taken in (pure): each checked against the task it answers, compact ones
// rebuilt in full from the sweep's answer sets, and counted by the ledger (the first copy from
// the unit's holder counts; a duplicate or a late copy does not). What counts goes to the
// store; what does not answer its task is refused.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/sweep/sweep_lifecycle.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/messages.h"

namespace mxsentry {

struct ResultIntake {
  std::vector<StoredResult> fresh;  ///< counted now: the store keeps them
  std::uint64_t full = 0, compact = 0;  ///< received in full or compact (late ones too)
  std::uint64_t late_or_unknown = 0;    ///< for a unit the prober does not hold, or a task already answered
  std::vector<std::string> refused;     ///< why results were refused, one line each (a dropped message each)
};

/// One RESULTS message from `prober`, at `now`.
ResultIntake take_results(SweepLifecycle& lifecycle, const std::string& prober, protocol::Results& results,
                          std::int64_t now);

/// Counts one result in the ledger and adds it to `fresh`; false (and nothing added) when the
/// ledger does not count it.
bool accept_result(WorkLedger& ledger, const std::string& prober, std::uint64_t unit, Observation o,
                   std::int64_t now, std::vector<StoredResult>& fresh,
                   std::optional<protocol::MatchedResult> matched = std::nullopt);

}  // namespace mxsentry
