#pragma once
// Which units go to a prober now, and what each WORK says (pure): the ledger leases what the
// prober's credit (and the express lane) allows, among the units its tags and the re-ask delay
// let it run; each WORK carries the tasks still without a result and the digests of their
// questions' answer sets. A task whose resolver opted out since the sweep was planned is not
// sent: the coordinator answers it itself, as not asked.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "coordinator/sweep/sweep_lifecycle.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/messages.h"
#include "targets/opt_out.h"

namespace mxsentry {

struct UnitDispatch {
  std::vector<protocol::Work> work;   ///< to send to the prober, in lease order
  std::vector<StoredResult> refused;  ///< opted-out tasks answered here: the store keeps them
};

/// The units to send to `prober` (declaring `tags`) at `now`.
UnitDispatch dispatch_units(SweepLifecycle& lifecycle, const std::string& prober,
                            const std::map<std::string, std::string>& tags, const OptOut& opt_out, std::int64_t now);

}  // namespace mxsentry
