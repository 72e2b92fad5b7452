#pragma once
// A work unit of a running sweep as the coordinator keeps it in memory: a range over its
// sweep's interned inputs (or, for re-asks, its tasks listed), and the vantage it is bound to.
// Its tasks are built when they are sent or checked, never kept.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coordinator/sweep/sweep_store.h"
#include "coordinator/sweep/task_space.h"
#include "protocol/dns/endpoint.h"
#include "protocol/messages.h"

namespace mxsentry {

class OpenUnit {
 public:
  std::uint64_t sweep = 0;
  std::optional<std::string> owner;  ///< only it may run the unit (`all` mode, local resolvers, re-asks of a vantage still there)
  bool reask = false;  ///< asks flagged answers again: its results are second answers, not the measurement's

  OpenUnit() = default;
  /// Tasks listed one by one.
  OpenUnit(std::uint64_t sweep_id, std::vector<protocol::WorkTask> listed, std::optional<std::string> bound_to);
  /// Tasks as a range over `space` (which must hold it: range_fits).
  OpenUnit(std::uint64_t sweep_id, std::shared_ptr<const TaskSpace> space, TaskRange range,
           std::optional<std::string> bound_to);

  std::uint32_t size() const;
  protocol::WorkTask task(std::uint32_t i) const;
  /// Task i's resolver, parsed; nothing when its text does not parse.
  const std::optional<Endpoint>& resolver(std::uint32_t i) const;
  /// Task i's question.
  const std::string& qname(std::uint32_t i) const;
  std::uint16_t qtype(std::uint32_t i) const;
  /// The most tasks one resolver has in the unit.
  std::uint32_t most_per_resolver() const;
  /// The places in its sweep's questions of the unit's first and last questions (a range's
  /// tasks go question by question); nothing for listed tasks.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> question_span() const;

  /// Bound to one vantage: it waits for that prober and never goes to another.
  bool bound() const { return owner.has_value(); }

 private:
  std::shared_ptr<const TaskSpace> space_;
  TaskRange range_;
  std::vector<protocol::WorkTask> listed_;
  std::vector<std::optional<Endpoint>> listed_endpoints_;
};

/// How long a unit may take at its sweep's rate: every resolver's share of the unit at the
/// per-resolver rate, plus every try's timeout, twice over; never less than `configured`.
std::int64_t unit_lease_ms(const OpenUnit& unit, const SweepSettings& settings, std::int64_t configured);

}  // namespace mxsentry
