// `mxsentry results`: a summary and a table for people, every verdict as JSON with --json.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "coordinator/cli/results_command.h"
#include "coordinator/sweep/sweep_store.h"
#include "integration/json_lines.h"
#include "results/sqlite_db.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

Verdict verdict_at(const std::string& resolver, VerdictClass verdict_class) {
  Verdict v;
  v.vantage = "vp1";
  v.resolver = *Endpoint::parse(resolver);
  v.qname = "mx.example.com.";
  v.qtype = 1;
  v.verdict = verdict_class;
  v.confidence = 0.9;
  v.observed = {"192.0.2.66"};
  v.expected = {"198.51.100.1"};
  return v;
}

struct Written {
  int status;
  std::string out, err;
};

Written write(const std::string& db, std::uint64_t sweep, bool as_json) {
  std::ostringstream out, err;
  int status = write_sweep_results(db, sweep, as_json, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("results: --json writes one verdict object a line, the table leaves consistent ones out", "[cli]") {
  test::TempFile db("");
  std::uint64_t id = 0;
  {
    SweepStore store(db.path());
    id = store.create_sweep("s", "all", {}, 0);
    store.set_verdicts(id, {verdict_at("192.0.2.10", VerdictClass::consistent),
                            verdict_at("192.0.2.20", VerdictClass::poisoned)});
  }
  Written json = write(db.path(), id, true);
  REQUIRE(json.status == 0);
  std::vector<nlohmann::json> objects = test::json_lines(json.out);
  REQUIRE(objects.size() == 2);
  CHECK(objects[0]["resolver"] == "192.0.2.10");
  CHECK(objects[0]["verdict"] == "consistent");
  CHECK(objects[1]["verdict"] == "poisoned");

  Written table = write(db.path(), id, false);
  REQUIRE(table.status == 0);
  CHECK_THAT(table.out, Catch::StartsWith("sweep " + std::to_string(id) + ": 2 verdicts, 1 consistent, 1 poisoned\n"));
  CHECK_THAT(table.out, Catch::Contains("192.0.2.20") && !Catch::Contains("192.0.2.10"));
  CHECK_THAT(table.out, !Catch::Contains("{"));
}

TEST_CASE("results: a sweep the database does not have is an error", "[cli]") {
  test::TempFile db("");
  { SweepStore store(db.path()); }
  Written w = write(db.path(), 7, true);
  CHECK(w.status == 2);
  CHECK(w.out.empty());
  CHECK_THAT(w.err, Catch::Contains("no sweep 7"));
}

// Once: a missing file became a new database, another program's got the sweep tables, and a
// running sweep gave no rows and no word.
TEST_CASE("results: only an existing coordinator's database is read, and left as it was", "[cli]") {
  test::TempFile other("");
  std::string missing = other.path() + ".missing";
  Written none = write(missing, 1, true);
  CHECK(none.status == 2);
  CHECK_THAT(none.err, Catch::Contains(missing + ": no such database"));
  std::ifstream created(missing);
  CHECK_FALSE(created.good());

  {
    SqliteDb foreign(other.path(), {sql_migration("another program's table", "CREATE TABLE notes (text TEXT)")});
  }
  Written foreign = write(other.path(), 1, true);
  CHECK(foreign.status == 2);
  CHECK_THAT(foreign.err, Catch::Contains("not a coordinator's database"));
  SqliteDb reopened(other.path(), {sql_migration("another program's table", "CREATE TABLE notes (text TEXT)")});
  Statement tables(reopened, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  REQUIRE(tables.step());
  CHECK(tables.integer(0) == 1);  // no sweep tables added

  test::TempFile text("just some text, not SQLite\n");
  CHECK(write(text.path(), 1, true).status == 2);
}

TEST_CASE("results: a sweep still running says so", "[cli]") {
  test::TempFile db("");
  std::uint64_t id = 0;
  {
    SweepStore store(db.path());
    id = store.create_sweep("s", "all", {}, 0);
  }
  Written w = write(db.path(), id, false);
  CHECK(w.status == 0);
  CHECK_THAT(w.err, Catch::Contains("sweep " + std::to_string(id) + " is still running"));
}
