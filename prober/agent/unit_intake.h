#pragma once
// A WORK unit turned into what the engine asks and what this vantage refuses. Whatever the
// coordinator says, the opt-out lists and the private-address rule are applied again here;
// a refused task comes back as a not-asked observation saying why.

#include <cstdint>
#include <vector>

#include "prober/core/observation.h"
#include "prober/core/task.h"
#include "protocol/messages.h"
#include "targets/opt_out.h"

namespace mxsentry {

/// Tasks of the engine carry the unit's key in the high half of Task::index and the WORK
/// task's index in the low half: an observation names its unit and its task by itself.
inline std::uint64_t engine_task_index(std::uint32_t unit_key, std::uint32_t task_index) {
  return (static_cast<std::uint64_t>(unit_key) << 32) | task_index;
}
inline std::uint32_t unit_key_of(std::uint64_t engine_index) { return static_cast<std::uint32_t>(engine_index >> 32); }
inline std::uint32_t task_of(std::uint64_t engine_index) { return static_cast<std::uint32_t>(engine_index); }

struct PreparedUnit {
  std::vector<Task> tasks;           ///< to ask, indexes as engine_task_index()
  std::vector<Observation> refused;  ///< not asked, task_index the WORK task's index
};

struct IntakeRules {
  const OptOut* opt_out = nullptr;  ///< none: no list
  bool allow_private = false;
  double max_per_resolver_qps = 0;  ///< the vantage's cap (the engine's rate); 0: none
};

/// The unit's timeout and retries (clamped to the engine's limits) go with each task, and its
/// per-resolver rate when slower than the vantage's cap (the engine's shared buckets hold the cap).
PreparedUnit prepare_unit(const protocol::Work& work, std::uint32_t unit_key, const IntakeRules& rules,
                          std::int64_t now_ms);

}  // namespace mxsentry
