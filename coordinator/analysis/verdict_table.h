#pragma once
// The one shape of a verdict table, for both stores: `verdicts` of `mxsentry check --db` and
// `sweep_verdicts` of the coordinator. A row per verdict: the keys to query it by (qtype as
// its mnemonic, as in the JSON), the class, the confidence and the verdict's JSON line. Only the
// name of the table and of the column naming the run it belongs to differ (docs/storage.md).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "results/sqlite_db.h"

namespace mxsentry {

class VerdictTable {
 public:
  /// `table` keeps the verdicts of the runs in `owner_table`, by `owner_column`.
  VerdictTable(std::string table, std::string owner_column, std::string owner_table);

  /// CREATE TABLE and its index, in the current shape.
  std::string ddl() const;
  /// Rebuilds the table in the current shape (a migration step); `old_columns` are the
  /// expressions, over the old table's columns, that give the new columns in order.
  void rebuild(SqliteDb& db, std::string_view old_columns) const;
  /// Writes the verdicts of one run; a verdict with the same key as a kept one replaces it.
  void insert(SqliteDb& db, std::int64_t owner, std::span<const Verdict> verdicts) const;
  /// Deletes the verdicts of one run.
  void erase(SqliteDb& db, std::int64_t owner) const;
  /// One run's verdict JSON lines (no newline), in resolver, question and vantage order.
  std::vector<std::string> lines(SqliteDb& db, std::int64_t owner) const;

 private:
  std::string table_, owner_column_, owner_table_;
};

}  // namespace mxsentry
