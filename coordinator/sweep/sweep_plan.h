#pragma once
// Cuts a sweep into work units (pure), as ranges over its interned inputs (task_space.h). `shard`: every (resolver, name, type) once, in units of
// at most `unit_size` tasks that any prober may run; `all`: the same units once per vantage,
// each bound to its vantage. Consecutive tasks of a unit go to different resolvers, so a
// prober's per-resolver rate limit rarely stalls it.
// A prober's local resolvers (from its HELLO: its own ISP's, its network's) can only be asked
// from there: they become units bound to that vantage in either mode.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <optional>

#include "coordinator/sweep/task_space.h"
#include "protocol/dns/question.h"
#include "protocol/messages.h"

namespace mxsentry {

struct UnitPlan {
  std::optional<std::string> owner;  ///< `all` mode: the vantage that must run it
  std::vector<protocol::WorkTask> tasks;  ///< listed one by one (re-asks); empty when `range` holds them
  TaskRange range;                        ///< the tasks as a range over the sweep's TaskSpace

  std::uint32_t task_count() const {
    return range.resolver_count > 0 ? range.task_count : static_cast<std::uint32_t>(tasks.size());
  }
};

/// A planned sweep: its inputs once, and its units as ranges over them.
struct SweepPlan {
  TaskSpace space;
  std::vector<UnitPlan> units;
};

/// A unit's tasks one by one (listed, or built from its range).
std::vector<protocol::WorkTask> unit_tasks(const TaskSpace& space, const UnitPlan& unit);

enum class Assignment { all, shard };

struct SweepRequest {
  std::string name;
  Assignment assignment = Assignment::shard;
  std::vector<std::string> resolvers;  ///< resolver-list syntax
  std::vector<Question> questions;
  std::vector<std::string> vantages;   ///< `all`: the probers that each run every task
  std::size_t unit_size = 500;
  std::map<std::string, std::vector<std::string>> local_resolvers;  ///< vantage -> resolvers only it can reach (HELLO)
};

/// Units of the shared resolvers first (`all`: grouped by vantage, each vantage's own local units
/// right after its copies), then (`shard`) each vantage's local units in vantage order.
/// Local resolvers: in `all` mode only for vantages also in `vantages`, and without those the
/// vantage already asks as shared ones; in `shard` mode for every vantage in the map, even a
/// shared one (the point is the path from that vantage). A resolver repeated in one vantage's
/// list is asked once.
/// Throws std::invalid_argument when there is nothing to do: no questions, `all` without
/// vantages, or no resolver at all to ask.
SweepPlan plan_units(const SweepRequest& request);

const char* to_string(Assignment assignment);

}  // namespace mxsentry
