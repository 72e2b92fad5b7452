#include "coordinator/sweep/reask_plan.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "protocol/dns/names.h"

namespace mxsentry {

namespace {

void cut(const std::optional<std::string>& owner, const std::vector<protocol::WorkTask>& tasks, std::size_t unit_size,
         std::vector<UnitPlan>& units) {
  for (std::size_t at = 0; at < tasks.size(); at += unit_size) {
    UnitPlan unit{owner, {}, {}};
    for (std::size_t i = at; i < std::min(tasks.size(), at + unit_size); ++i) {
      unit.tasks.push_back(tasks[i]);
      unit.tasks.back().index = static_cast<std::uint32_t>(unit.tasks.size() - 1);
    }
    units.push_back(std::move(unit));
  }
}

}  // namespace

std::vector<UnitPlan> plan_reask(const std::vector<Verdict>& verdicts,
                                 const std::function<bool(const std::string& vantage)>& connected,
                                 const AskElsewhere& elsewhere, std::size_t unit_size) {
  std::map<std::string, std::vector<protocol::WorkTask>> by_vantage;
  std::vector<const Verdict*> orphans;  // flagged answers of gone vantages
  using Asked = std::tuple<std::string, std::string, std::uint16_t>;
  std::set<Asked> asked;
  for (const auto& v : verdicts) {
    if (!v.flagged()) continue;
    if (!connected(v.vantage)) {
      orphans.push_back(&v);
      continue;
    }
    protocol::WorkTask task{0, v.resolver.to_string(), canonical_name(v.qname), v.qtype};
    asked.insert(Asked{task.resolver, task.qname, task.qtype});
    by_vantage[v.vantage].push_back(std::move(task));
  }
  std::vector<protocol::WorkTask> anywhere;
  for (const Verdict* v : orphans) {
    if (!elsewhere || !elsewhere(v->vantage, v->resolver)) continue;
    protocol::WorkTask task{0, v->resolver.to_string(), canonical_name(v->qname), v->qtype};
    if (asked.insert(Asked{task.resolver, task.qname, task.qtype}).second) anywhere.push_back(std::move(task));
  }
  std::vector<UnitPlan> units;
  for (const auto& [vantage, tasks] : by_vantage) cut(vantage, tasks, unit_size, units);
  cut(std::nullopt, anywhere, unit_size, units);
  return units;
}

}  // namespace mxsentry
