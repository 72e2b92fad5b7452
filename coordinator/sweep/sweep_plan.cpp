#include "coordinator/sweep/sweep_plan.h"

#include <set>
#include <stdexcept>

namespace mxsentry {

namespace {

/// Every (resolver × question) in units of at most `unit_size`: question by question, every
/// resolver in turn, so consecutive tasks go to different resolvers.
void cut_units(const std::vector<std::string>& resolvers, const std::vector<Question>& questions,
               std::size_t unit_size, const std::optional<std::string>& owner, std::vector<UnitPlan>& out) {
  UnitPlan current{owner, {}};
  for (const auto& q : questions) {
    for (const auto& r : resolvers) {
      current.tasks.push_back(
          protocol::WorkTask{static_cast<std::uint32_t>(current.tasks.size()), r, q.qname, q.qtype});
      if (current.tasks.size() == unit_size) {
        out.push_back(std::move(current));
        current = UnitPlan{owner, {}};
      }
    }
  }
  if (!current.tasks.empty()) out.push_back(std::move(current));
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

std::vector<UnitPlan> plan_units(const SweepRequest& request) {
  if (request.questions.empty()) throw std::invalid_argument("no names to ask about");
  if (request.unit_size == 0) throw std::invalid_argument("unit size 0");
  if (request.assignment == Assignment::all && request.vantages.empty())
    throw std::invalid_argument("assignment 'all' needs at least one connected prober");

  std::vector<UnitPlan> units;
  if (request.assignment == Assignment::shard) {
    cut_units(request.resolvers, request.questions, request.unit_size, std::nullopt, units);
    for (const auto& [vantage, local] : request.local_resolvers)
      cut_units(local_list(local, {}), request.questions, request.unit_size, vantage, units);
  } else {
    std::vector<UnitPlan> shared;
    cut_units(request.resolvers, request.questions, request.unit_size, std::nullopt, shared);
    for (const auto& vantage : request.vantages) {
      for (const auto& unit : shared) units.push_back(UnitPlan{vantage, unit.tasks});
      if (auto it = request.local_resolvers.find(vantage); it != request.local_resolvers.end())
        cut_units(local_list(it->second, request.resolvers), request.questions, request.unit_size, vantage, units);
    }
  }
  if (units.empty()) throw std::invalid_argument("no resolvers to ask");
  return units;
}

}  // namespace mxsentry
