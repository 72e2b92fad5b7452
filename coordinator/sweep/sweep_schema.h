#pragma once
// The schema of the coordinator's database, step by step (docs/storage.md).

#include <vector>

#include "coordinator/analysis/verdict_table.h"
#include "results/sqlite_db.h"

namespace mxsentry {

/// The steps that bring a coordinator database to the current version, oldest first.
const std::vector<Migration>& sweep_schema();
/// The coordinator database's verdict table (`sweep_verdicts`, by `sweep_id`).
const VerdictTable& sweep_verdicts();

}  // namespace mxsentry
