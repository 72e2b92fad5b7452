#pragma once
// Keeps a check's observations, truths and verdicts in SQLite (WAL), one row each, as the JSON
// the command prints, with the keys to query them by. Each run of `check` is one row of `checks`.

#include <map>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "coordinator/check/check_targets.h"
#include "coordinator/truth/truth_types.h"

#include "results/sqlite_db.h"

namespace mxsentry {

class CheckStore {
 public:
  /// Opens (creating when needed) the database; throws std::runtime_error naming the file.
  explicit CheckStore(const std::string& path);

  /// Writes one check in one transaction; returns its id.
  std::int64_t save(const std::vector<std::string>& domains, const std::string& vantage,
                    const std::vector<Observation>& observations, const std::map<Question, Truth>& truths,
                    const std::vector<Verdict>& verdicts);
  /// One check's verdicts as JSON lines (append_verdict_json, without the newline).
  std::vector<std::string> verdict_lines(std::int64_t check);

 private:
  SqliteDb db_;
};

}  // namespace mxsentry
