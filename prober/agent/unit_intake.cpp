#include "prober/agent/unit_intake.h"

#include <algorithm>
#include <optional>

#include "prober/core/limits.h"
#include "prober/core/not_asked.h"
#include "targets/address_class.h"

namespace mxsentry {

PreparedUnit prepare_unit(const protocol::Work& work, std::uint32_t unit_key, const IntakeRules& rules,
                          std::int64_t now_ms) {
  PreparedUnit out;
  out.tasks.reserve(work.tasks.size());
  const std::uint32_t timeout_ms = std::clamp(work.timeout_ms, limits::min_timeout_ms, limits::max_timeout_ms);
  const auto retries = static_cast<std::int32_t>(std::min(work.retries, limits::max_retries));
  const bool slower = work.per_resolver_qps > 0 &&
                      (rules.max_per_resolver_qps <= 0 || work.per_resolver_qps < rules.max_per_resolver_qps);
  const double pace = slower ? work.per_resolver_qps : 0;
  for (const auto& t : work.tasks) {
    auto endpoint = Endpoint::parse(t.resolver);
    Task task{endpoint.value_or(Endpoint{}), t.qname, t.qtype, t.index};
    if (!endpoint) {
      out.refused.push_back(not_asked(task, NotAskedReason::bad_address, now_ms, t.resolver));
      continue;
    }
    if (rules.opt_out && rules.opt_out->covers(*endpoint)) {
      out.refused.push_back(not_asked(task, NotAskedReason::opt_out, now_ms));
      continue;
    }
    if (auto block = rules.allow_private ? std::nullopt : special_purpose_block(*endpoint)) {
      out.refused.push_back(not_asked(task, NotAskedReason::private_refused, now_ms, *block));
      continue;
    }
    task.index = engine_task_index(unit_key, t.index);
    task.timeout_ms = timeout_ms;
    task.retries = retries;
    task.urgent = work.express;
    task.per_resolver_qps = pace;
    out.tasks.push_back(std::move(task));
  }
  return out;
}

}  // namespace mxsentry
