#pragma once
// The schema of `mxsentry check --db` files, step by step (docs/storage.md).

#include <vector>

#include "coordinator/analysis/verdict_table.h"
#include "results/sqlite_db.h"

namespace mxsentry {

/// The steps that bring a check database to the current version, oldest first.
const std::vector<Migration>& check_schema();
/// The check database's verdict table (`verdicts`, by `check_id`).
const VerdictTable& check_verdicts();

}  // namespace mxsentry
