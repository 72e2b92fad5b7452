#include "coordinator/sweep/sweep_plan.h"

#include <stdexcept>

namespace mxsentry {

const char* to_string(Assignment assignment) { return assignment == Assignment::all ? "all" : "shard"; }

std::vector<UnitPlan> plan_units(const SweepRequest& request) {
  if (request.resolvers.empty()) throw std::invalid_argument("no resolvers to ask");
  if (request.questions.empty()) throw std::invalid_argument("no names to ask about");
  if (request.unit_size == 0) throw std::invalid_argument("unit size 0");
  if (request.assignment == Assignment::all && request.vantages.empty())
    throw std::invalid_argument("assignment 'all' needs at least one connected prober");

  std::vector<UnitPlan> shards;
  UnitPlan current;
  for (const auto& q : request.questions) {
    for (const auto& r : request.resolvers) {
      current.tasks.push_back(
          protocol::WorkTask{static_cast<std::uint32_t>(current.tasks.size()), r, q.qname, q.qtype});
      if (current.tasks.size() == request.unit_size) {
        shards.push_back(std::move(current));
        current = UnitPlan{};
      }
    }
  }
  if (!current.tasks.empty()) shards.push_back(std::move(current));
  if (request.assignment == Assignment::shard) return shards;

  std::vector<UnitPlan> bound;
  for (const auto& vantage : request.vantages)
    for (const auto& unit : shards) bound.push_back(UnitPlan{vantage, unit.tasks});
  return bound;
}

}  // namespace mxsentry
