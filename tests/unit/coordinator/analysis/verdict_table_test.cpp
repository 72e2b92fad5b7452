// One verdict table shape for both stores: the same columns (but the owner's name), rows
// replaced by key, read back in resolver and question order.
#include <catch2/catch.hpp>

#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/analysis/verdict_table.h"
#include "coordinator/check/check_store.h"
#include "coordinator/sweep/sweep_store.h"
#include "tests/unit/sqlite_file.h"
#include "tests/unit/test_support.h"

using namespace mxsentry;
using mxsentry::test::SqliteFile;

namespace {

Verdict verdict(const char* resolver, const char* qname, std::uint16_t qtype, VerdictClass c) {
  Verdict v;
  v.vantage = "vp1";
  v.resolver = test::ep(resolver);
  v.qname = qname;
  v.qtype = qtype;
  v.verdict = c;
  v.confidence = 0.5;
  v.dnssec = "insecure";
  return v;
}

const VerdictTable runs_verdicts("run_verdicts", "run_id", "runs");

std::vector<Migration> runs_schema() {
  return {Migration{"runs and their verdicts", [](SqliteDb& db) {
                      db.exec("CREATE TABLE runs (id INTEGER PRIMARY KEY); INSERT INTO runs VALUES (1), (2);");
                      db.exec(runs_verdicts.ddl().c_str());
                    }}};
}

}  // namespace

TEST_CASE("verdict table: rows by key, replaced and erased per run, in resolver and question order", "[storage]") {
  SqliteFile file;
  SqliteDb db(file.path(), runs_schema());
  runs_verdicts.insert(db, 1, std::vector<Verdict>{verdict("192.0.2.2", "a.example.", 1, VerdictClass::consistent),
                               verdict("192.0.2.1", "b.example.", 28, VerdictClass::failed),
                               verdict("192.0.2.1", "a.example.", 15, VerdictClass::poisoned)});
  runs_verdicts.insert(db, 2, std::vector<Verdict>{verdict("192.0.2.1", "a.example.", 1, VerdictClass::consistent)});
  auto lines = runs_verdicts.lines(db, 1);
  REQUIRE(lines.size() == 3);
  CHECK(parse_verdict_json(lines[0]).qname == "a.example.");
  CHECK(parse_verdict_json(lines[0]).resolver == test::ep("192.0.2.1"));
  CHECK(parse_verdict_json(lines[1]).qname == "b.example.");
  CHECK(parse_verdict_json(lines[2]).resolver == test::ep("192.0.2.2"));
  CHECK(file.rows("SELECT qtype, verdict, confidence FROM run_verdicts WHERE run_id = 1 AND qname = 'a.example.' "
                  "AND resolver = '192.0.2.1'") == std::vector<std::string>{"MX|poisoned|0.5"});

  // The same key again replaces; erasing one run leaves the other.
  runs_verdicts.insert(db, 1, std::vector<Verdict>{verdict("192.0.2.1", "a.example.", 15, VerdictClass::consistent)});
  CHECK(runs_verdicts.lines(db, 1).size() == 3);
  CHECK(file.rows("SELECT count(*) FROM run_verdicts WHERE verdict = 'poisoned'") == std::vector<std::string>{"0"});
  runs_verdicts.erase(db, 1);
  CHECK(runs_verdicts.lines(db, 1).empty());
  CHECK(runs_verdicts.lines(db, 2).size() == 1);
}

TEST_CASE("verdict table: the check store and the sweep store keep verdicts in one shape", "[storage][check][sweep]") {
  SqliteFile check_file, sweep_file;
  { CheckStore check(check_file.path()); }
  { SweepStore sweep(sweep_file.path()); }
  auto columns = [](const SqliteFile& f, const std::string& table, const std::string& owner) {
    std::vector<std::string> out;
    for (auto row : f.rows("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('" + table + "')"))
      out.push_back(row.starts_with(owner + "|") ? "owner" + row.substr(owner.size()) : row);
    return out;
  };
  auto check_columns = columns(check_file, "verdicts", "check_id");
  CHECK(check_columns == columns(sweep_file, "sweep_verdicts", "sweep_id"));
  CHECK(check_columns == std::vector<std::string>{"owner|INTEGER|1|NULL|1", "vantage|TEXT|1|NULL|2",
                                                  "resolver|TEXT|1|NULL|3", "qname|TEXT|1|NULL|4",
                                                  "qtype|TEXT|1|NULL|5",   "verdict|TEXT|1|NULL|0",
                                                  "confidence|REAL|1|NULL|0", "json|TEXT|1|NULL|0"});
  CHECK(sweep_file.rows("SELECT name FROM pragma_index_list('sweep_verdicts') WHERE origin = 'c'") ==
        std::vector<std::string>{"sweep_verdicts_by_class"});
}
