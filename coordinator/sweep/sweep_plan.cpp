#include "coordinator/sweep/sweep_plan.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace mxsentry {

namespace {

/// A block of resolvers (appended to the space) × every question, in units of at most
/// `unit_size` ranges: question by question, every resolver in turn.
void cut_units(TaskSpace& space, const std::vector<std::string>& block, std::size_t unit_size,
               const std::optional<std::string>& owner, std::vector<UnitPlan>& out) {
  if (block.empty()) return;
  if (space.resolvers.size() + block.size() > UINT32_MAX) throw std::invalid_argument("more than 2^32 resolvers");
  const auto first = static_cast<std::uint32_t>(space.resolvers.size());
  space.resolvers.insert(space.resolvers.end(), block.begin(), block.end());
  const std::uint64_t total = std::uint64_t{block.size()} * space.questions.size();
  for (std::uint64_t at = 0; at < total; at += unit_size) {
    UnitPlan unit{owner, {}, {}};
    unit.range = TaskRange{first, static_cast<std::uint32_t>(block.size()), at,
                           static_cast<std::uint32_t>(std::min<std::uint64_t>(unit_size, total - at))};
    out.push_back(std::move(unit));
  }
}

/// A vantage's local resolvers in their order, each once, without those in `skip`.
std::vector<std::string> local_list(const std::vector<std::string>& local, const std::vector<std::string>& skip) {
  std::set<std::string> seen(skip.begin(), skip.end());
  std::vector<std::string> out;
  for (const auto& r : local)
    if (seen.insert(r).second) out.push_back(r);
  return out;
}

}  // namespace

const char* to_string(Assignment assignment) { return assignment == Assignment::all ? "all" : "shard"; }

std::vector<protocol::WorkTask> unit_tasks(const TaskSpace& space, const UnitPlan& unit) {
  if (unit.range.resolver_count == 0) return unit.tasks;
  std::vector<protocol::WorkTask> out;
  out.reserve(unit.range.task_count);
  for (std::uint32_t i = 0; i < unit.range.task_count; ++i) out.push_back(work_task(space, unit.range, i));
  return out;
}

SweepPlan plan_units(const SweepRequest& request) {
  if (request.questions.empty()) throw std::invalid_argument("no names to ask about");
  if (request.unit_size == 0) throw std::invalid_argument("unit size 0");
  // Indices into the space are 32 bits; a unit's task index too.
  if (request.unit_size > UINT32_MAX) throw std::invalid_argument("unit size too large");
  if (request.assignment == Assignment::all && request.vantages.empty())
    throw std::invalid_argument("assignment 'all' needs at least one connected prober");

  SweepPlan plan;
  plan.space.questions = request.questions;
  auto& units = plan.units;
  if (request.assignment == Assignment::shard) {
    cut_units(plan.space, request.resolvers, request.unit_size, std::nullopt, units);
    for (const auto& [vantage, local] : request.local_resolvers)
      cut_units(plan.space, local_list(local, {}), request.unit_size, vantage, units);
  } else {
    std::vector<UnitPlan> shared;
    cut_units(plan.space, request.resolvers, request.unit_size, std::nullopt, shared);
    for (const auto& vantage : request.vantages) {
      for (const auto& unit : shared) units.push_back(UnitPlan{vantage, {}, unit.range});
      if (auto it = request.local_resolvers.find(vantage); it != request.local_resolvers.end())
        cut_units(plan.space, local_list(it->second, request.resolvers), request.unit_size, vantage, units);
    }
  }
  if (units.empty()) throw std::invalid_argument("no resolvers to ask");
  plan.space = TaskSpace(std::move(plan.space.resolvers), std::move(plan.space.questions));  // parsed once
  return plan;
}

}  // namespace mxsentry
