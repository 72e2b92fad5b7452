#include "coordinator/check/check_schema.h"

#include "results/cof_table.h"

namespace mxsentry {

const VerdictTable& check_verdicts() {
  static const VerdictTable table("verdicts", "check_id", "checks");
  return table;
}

const std::vector<Migration>& check_schema() {
  static const std::vector<Migration> steps{
      // Version 1: the tables as mxsentry made them before schema versions (files of those
      // releases have user_version 0 and get nothing new here).
      sql_migration("the first tables", R"(
CREATE TABLE IF NOT EXISTS checks (
  id INTEGER PRIMARY KEY, started_ms INTEGER NOT NULL, vantage TEXT NOT NULL, domains TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
  check_id INTEGER NOT NULL REFERENCES checks(id), task INTEGER NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (check_id, task));
CREATE TABLE IF NOT EXISTS truths (
  check_id INTEGER NOT NULL REFERENCES checks(id), qname TEXT NOT NULL, qtype TEXT NOT NULL,
  json TEXT NOT NULL, PRIMARY KEY (check_id, qname, qtype));
CREATE TABLE IF NOT EXISTS verdicts (
  check_id INTEGER NOT NULL REFERENCES checks(id), vantage TEXT NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype TEXT NOT NULL, verdict TEXT NOT NULL, confidence REAL NOT NULL,
  json TEXT NOT NULL, PRIMARY KEY (check_id, vantage, resolver, qname, qtype));
CREATE INDEX IF NOT EXISTS verdicts_by_class ON verdicts (verdict);
)"),
      // Version 2: the verdict table shared with the sweep store; this one had its columns already.
      Migration{"verdicts in the shared shape",
                [](SqliteDb& db) {
                  check_verdicts().rebuild(db, "check_id, vantage, resolver, qname, qtype, verdict, confidence, json");
                }},
      // Version 3: passive-DNS records imported from COF files (`mxsentry import`), a table of
      // their own beside the checks.
      sql_migration("cof_records: imported passive-DNS records", cof_table_ddl()),
      // Version 4: `mxsentry passive` reads the imported records name by name.
      sql_migration("cof_records: an index by type and name", cof_name_index_ddl()),
  };
  return steps;
}

}  // namespace mxsentry
