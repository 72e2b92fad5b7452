#include "coordinator/sweep/reask_plan.h"

#include <algorithm>
#include <map>

#include "protocol/dns/names.h"

namespace mxsentry {

std::vector<UnitPlan> plan_reask(const std::vector<Verdict>& verdicts,
                                 const std::function<bool(const std::string& vantage)>& connected,
                                 std::size_t unit_size) {
  std::map<std::string, std::vector<protocol::WorkTask>> by_vantage;
  for (const auto& v : verdicts)
    if (v.flagged() && connected(v.vantage)) {
      auto& tasks = by_vantage[v.vantage];
      tasks.push_back(protocol::WorkTask{0, v.resolver.to_string(), canonical_name(v.qname), v.qtype});
    }
  std::vector<UnitPlan> units;
  for (auto& [vantage, tasks] : by_vantage)
    for (std::size_t at = 0; at < tasks.size(); at += unit_size) {
      UnitPlan unit{vantage, {}, {}};
      for (std::size_t i = at; i < std::min(tasks.size(), at + unit_size); ++i) {
        unit.tasks.push_back(tasks[i]);
        unit.tasks.back().index = static_cast<std::uint32_t>(unit.tasks.size() - 1);
      }
      units.push_back(std::move(unit));
    }
  return units;
}

}  // namespace mxsentry
