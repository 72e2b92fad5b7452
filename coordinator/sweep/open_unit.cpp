#include "coordinator/sweep/open_unit.h"

#include <algorithm>
#include <map>

namespace mxsentry {

OpenUnit::OpenUnit(std::uint64_t sweep_id, std::vector<protocol::WorkTask> unit_tasks,
                   std::optional<std::string> bound_to)
    : sweep(sweep_id), tasks(std::move(unit_tasks)), owner(std::move(bound_to)) {
  resolvers.reserve(tasks.size());
  for (const auto& t : tasks) resolvers.push_back(Endpoint::parse(t.resolver));
}

// A live prober must not lose a unit only because the sweep is gentle.
std::int64_t unit_lease_ms(const std::vector<protocol::WorkTask>& tasks, const SweepSettings& settings,
                           std::int64_t configured) {
  std::map<std::string, std::size_t> per_resolver;
  std::size_t most = 0;
  for (const auto& t : tasks) most = std::max(most, ++per_resolver[t.resolver]);
  double seconds = static_cast<double>(most) / std::max(settings.per_resolver_qps, 0.001) +
                   static_cast<double>(settings.timeout_ms) * (settings.retries + 1) / 1000.0;
  return std::max(configured, static_cast<std::int64_t>(seconds * 2000.0));
}

}  // namespace mxsentry
