#pragma once
// Runs a batch of queries on the engine (libuv) and hands back every observation, in task
// order. For the embedded check, where the whole batch fits in memory; `mxsentry probe` streams.

#include <functional>
#include <vector>

#include "prober/core/observation.h"
#include "prober/core/query_engine.h"
#include "prober/core/task.h"

namespace mxsentry {

/// Called about once a second while the batch runs (progress on a terminal).
using BatchProgress = std::function<void(const QueryEngine&)>;

/// Throws std::runtime_error when the engine cannot start (no sockets, a bad configuration).
std::vector<Observation> observe(std::vector<Task> tasks, const EngineConfig& config, BatchProgress progress = {});

}  // namespace mxsentry
