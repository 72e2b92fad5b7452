#pragma once
// A work unit of a running sweep as the coordinator keeps it in memory: its tasks, each task's
// resolver parsed once (results are checked against it), and the vantage it is bound to.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/sweep/sweep_store.h"
#include "protocol/dns/endpoint.h"
#include "protocol/messages.h"

namespace mxsentry {

struct OpenUnit {
  std::uint64_t sweep = 0;
  std::vector<protocol::WorkTask> tasks;
  std::optional<std::string> owner;  ///< only it may run the unit (`all` mode, local resolvers, re-asks)
  std::vector<std::optional<Endpoint>> resolvers;  ///< each task's resolver, parsed once

  OpenUnit() = default;
  OpenUnit(std::uint64_t sweep_id, std::vector<protocol::WorkTask> unit_tasks, std::optional<std::string> bound_to);

  /// Bound to one vantage: it waits for that prober and never goes to another.
  bool bound() const { return owner.has_value(); }
};

/// How long a unit may take at its sweep's rate: every resolver's share of the unit at the
/// per-resolver rate, plus every try's timeout, twice over; never less than `configured`.
std::int64_t unit_lease_ms(const std::vector<protocol::WorkTask>& tasks, const SweepSettings& settings,
                           std::int64_t configured);

}  // namespace mxsentry
