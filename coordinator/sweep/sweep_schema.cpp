#include "coordinator/sweep/sweep_schema.h"

#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "results/record_json.h"

namespace mxsentry {

namespace {

// The tables as mxsentry made them before schema versions (user_version 0).
constexpr const char* first_tables = R"(
CREATE TABLE IF NOT EXISTS sweeps (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, assignment TEXT NOT NULL CHECK (assignment IN ('all', 'shard')),
  state TEXT NOT NULL DEFAULT 'running', created_ms INTEGER NOT NULL, per_resolver_qps REAL NOT NULL,
  timeout_ms INTEGER NOT NULL, retries INTEGER NOT NULL, deadline_ms INTEGER NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0, probers TEXT NOT NULL DEFAULT '',
  digest_k0 INTEGER NOT NULL DEFAULT 0, digest_k1 INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS sweeps_by_name ON sweeps (name, id);
CREATE TABLE IF NOT EXISTS units (
  id INTEGER PRIMARY KEY, sweep_id INTEGER NOT NULL REFERENCES sweeps(id), owner TEXT,
  done INTEGER NOT NULL DEFAULT 0, reask INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS units_by_sweep ON units (sweep_id, done);
CREATE TABLE IF NOT EXISTS tasks (
  unit_id INTEGER NOT NULL REFERENCES units(id), idx INTEGER NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype INTEGER NOT NULL, PRIMARY KEY (unit_id, idx)) WITHOUT ROWID;
-- The primary key makes results idempotent: INSERT OR IGNORE keeps the first copy.
CREATE TABLE IF NOT EXISTS results (
  unit_id INTEGER NOT NULL REFERENCES units(id), idx INTEGER NOT NULL, vantage TEXT NOT NULL,
  observation BLOB NOT NULL, PRIMARY KEY (unit_id, idx)) WITHOUT ROWID;
-- The truth's answer sets per question (compact results are rebuilt from them); records as
-- JSON [[owner, type, ttl, rdata], ...].
CREATE TABLE IF NOT EXISTS sweep_answers (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), qname TEXT NOT NULL, qtype INTEGER NOT NULL,
  idx INTEGER NOT NULL, rcode INTEGER NOT NULL, records TEXT NOT NULL,
  PRIMARY KEY (sweep_id, qname, qtype, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sweep_verdicts (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), vantage TEXT NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype INTEGER NOT NULL, verdict TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (sweep_id, vantage, resolver, qname, qtype));
)";

std::set<std::string> columns_of(SqliteDb& db, const char* table) {
  std::set<std::string> have;
  Statement columns(db, (std::string("SELECT name FROM pragma_table_info('") + table + "')").c_str());
  while (columns.step()) have.insert(columns.text(0));
  return have;
}

void first_tables_step(SqliteDb& db) {
  // Files of the first releases already have `sweeps` and `units` without the columns added
  // before schema versions, which CREATE ... IF NOT EXISTS leaves out. The only columns ever
  // found by looking: every later change is a step of its own.
  const bool had_sweeps = !columns_of(db, "sweeps").empty();
  db.exec(first_tables);
  if (!had_sweeps) return;
  const auto sweeps = columns_of(db, "sweeps");
  for (const auto& [column, definition] : std::map<std::string, std::string>{
           {"priority", "INTEGER NOT NULL DEFAULT 0"}, {"probers", "TEXT NOT NULL DEFAULT ''"},
           {"digest_k0", "INTEGER NOT NULL DEFAULT 0"}, {"digest_k1", "INTEGER NOT NULL DEFAULT 0"}})
    if (!sweeps.count(column)) db.exec(("ALTER TABLE sweeps ADD COLUMN " + column + " " + definition).c_str());
  if (!columns_of(db, "units").count("reask")) db.exec("ALTER TABLE units ADD COLUMN reask INTEGER NOT NULL DEFAULT 0");
}

// Answer-set records were kept as [[owner, type number, ttl, rdata], ...]; now as the probe writes them.
void records_as_probe_json(SqliteDb& db) {
  using Key = std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t>;
  std::map<Key, std::string> rewritten;
  Statement rows(db, "SELECT sweep_id, qname, qtype, idx, records FROM sweep_answers");
  while (rows.step()) {
    std::vector<ResourceRecord> records;
    for (const auto& r : nlohmann::json::parse(rows.text(4)))
      records.push_back(ResourceRecord{r.at(0).get<std::string>(), r.at(1).get<std::uint16_t>(),
                                       r.at(2).get<std::uint32_t>(), r.at(3).get<std::string>()});
    std::string text;
    append_records_json(text, records);
    rewritten[Key{rows.integer(0), rows.text(1), rows.integer(2), rows.integer(3)}] = std::move(text);
  }
  Statement update(db, "UPDATE sweep_answers SET records = ? WHERE sweep_id = ? AND qname = ? AND qtype = ? AND idx = ?");
  for (const auto& [key, text] : rewritten)
    update.bind(1, text).bind(2, std::get<0>(key)).bind(3, std::get<1>(key)).bind(4, std::get<2>(key))
        .bind(5, std::get<3>(key)).run();
}

}  // namespace

const VerdictTable& sweep_verdicts() {
  static const VerdictTable table("sweep_verdicts", "sweep_id", "sweeps");
  return table;
}

const std::vector<Migration>& sweep_schema() {
  static const std::vector<Migration> steps{
      Migration{"the first tables", first_tables_step},
      // Version 2: the verdict table shared with the check store (qtype as its mnemonic, and
      // the confidence), both read from each row's JSON; answer-set records in the probe's form.
      Migration{"verdicts in the shared shape, records as the probe writes them",
                [](SqliteDb& db) {
                  sweep_verdicts().rebuild(db,
                                           "sweep_id, vantage, resolver, qname, json_extract(json, '$.qtype'), verdict, "
                                           "json_extract(json, '$.confidence'), json");
                  records_as_probe_json(db);
                }},
      // Version 3: the resolvers' own ASes from their catalog tags, so that a sweep's judging
      // (also after a restart) knows them as a local check does.
      sql_migration("the resolvers' tagged ASes per sweep", R"(
CREATE TABLE sweep_resolver_asns (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), resolver TEXT NOT NULL, asn INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, resolver)) WITHOUT ROWID;
)"),
      // Version 4: why a result was not asked (outcome not-asked), NULL when it was asked; sweep
      // show and status count them by reason.
      // The partial index keeps counting them cheap: it holds only the rows not asked.
      sql_migration("the reason a result was not asked", R"(
ALTER TABLE results ADD COLUMN not_asked TEXT;
CREATE INDEX results_not_asked ON results (unit_id, not_asked) WHERE not_asked IS NOT NULL;
)"),
      // Version 5: a result whose answer is one of the truth's answer sets is kept compact (the
      // prober's matched-result form, ~40 bytes instead of ~600), rebuilt from the task and
      // the sweep's answer sets when read.
      sql_migration("matched answers kept compact", R"(
ALTER TABLE results ADD COLUMN compact INTEGER NOT NULL DEFAULT 0;
)"),
      // Version 6: tasks are no longer rows. A sweep's resolvers and questions are kept once
      // (interned) and a unit is a range over them (coordinator/sweep/task_space.h); only
      // re-ask units list their tasks. Units of older sweeps keep their task rows
      // (resolver_count 0); every unit now says how many tasks it has.
      sql_migration("tasks as ranges over a sweep's interned inputs", R"(
CREATE TABLE sweep_resolvers (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), idx INTEGER NOT NULL, address TEXT NOT NULL,
  PRIMARY KEY (sweep_id, idx)) WITHOUT ROWID;
CREATE TABLE sweep_questions (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), idx INTEGER NOT NULL, qname TEXT NOT NULL,
  qtype INTEGER NOT NULL, PRIMARY KEY (sweep_id, idx)) WITHOUT ROWID;
ALTER TABLE units ADD COLUMN resolver_first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN resolver_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN task_first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN task_count INTEGER NOT NULL DEFAULT 0;
UPDATE units SET task_count = (SELECT count(*) FROM tasks t WHERE t.unit_id = units.id);
)"),
      // Version 7: a compact result judged a plain match has no verdict row; its answer set's
      // template (the first such verdict) stands for it, and counts the results it stands for
      // (coordinator/sweep/match_verdicts.h).
      sql_migration("one verdict per matched answer set instead of one per matched answer", R"(
CREATE TABLE sweep_match_verdicts (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), qname TEXT NOT NULL, qtype INTEGER NOT NULL,
  answer_set INTEGER NOT NULL, json TEXT NOT NULL, results INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, qname, qtype, answer_set)) WITHOUT ROWID;
)"),
      // Version 8: each unit counts its results as they are written, so that a sweep's count
      // (every status request) sums its units instead of counting its results' rows.
      sql_migration("results counted per unit", R"(
ALTER TABLE units ADD COLUMN results INTEGER NOT NULL DEFAULT 0;
UPDATE units SET results = (SELECT count(*) FROM results r WHERE r.unit_id = units.id);
)"),
      // Version 9: a verdict that needs a row is kept beside its result, as the judging's part
      // only (class, confidence in thousandths, evidence numbers, and the fields that differ
      // from what the result and its question's expected facts give; stored_judgment.h): ~30
      // bytes instead of ~500. sweep_verdicts keeps the rows of sweeps judged before, and
      // verdicts written without a result (set_verdicts).
      sql_migration("verdicts kept beside their results", R"(
CREATE TABLE sweep_judgments (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), unit_id INTEGER NOT NULL, idx INTEGER NOT NULL,
  verdict INTEGER NOT NULL, confidence INTEGER NOT NULL, evidence BLOB NOT NULL, overrides TEXT,
  PRIMARY KEY (sweep_id, unit_id, idx)) WITHOUT ROWID;
CREATE INDEX sweep_judgments_by_class ON sweep_judgments (sweep_id, verdict);
CREATE TABLE sweep_expected (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), qname TEXT NOT NULL, qtype INTEGER NOT NULL,
  facts TEXT NOT NULL, PRIMARY KEY (sweep_id, qname, qtype)) WITHOUT ROWID;
)"),
  };
  return steps;
}

}  // namespace mxsentry
