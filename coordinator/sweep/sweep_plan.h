#pragma once
// Cuts a sweep into work units (pure). `shard`: every (resolver, name, type) once, in units of
// at most `unit_size` tasks that any prober may run; `all`: the same units once per vantage,
// each bound to its vantage. Consecutive tasks of a unit go to different resolvers, so a
// prober's per-resolver rate limit rarely stalls it.

#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/check/check_targets.h"
#include "coordinator/sweep/sweep_store.h"

namespace mxsentry {

enum class Assignment { all, shard };

struct SweepRequest {
  std::string name;
  Assignment assignment = Assignment::shard;
  std::vector<std::string> resolvers;  ///< resolver-list syntax
  std::vector<Question> questions;
  std::vector<std::string> vantages;   ///< `all`: the probers that each run every task
  std::size_t unit_size = 500;
};

/// Throws std::invalid_argument when there is nothing to do (no resolvers, questions or vantages).
std::vector<UnitPlan> plan_units(const SweepRequest& request);

const char* to_string(Assignment assignment);

}  // namespace mxsentry
