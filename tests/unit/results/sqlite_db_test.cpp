// The schema policy of every store: steps applied in order, each once and in its own
// transaction with user_version bumped, and a file newer than the code refused.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "results/sqlite_db.h"
#include "tests/unit/sqlite_file.h"

using mxsentry::Migration;
using mxsentry::SqliteDb;
using mxsentry::sql_migration;
using mxsentry::test::SqliteFile;

namespace {

std::vector<Migration> three_steps(int& runs) {
  return {sql_migration("a table", "CREATE TABLE t (a INTEGER NOT NULL)"),
          sql_migration("a second column", "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'x'"),
          Migration{"rows counted", [&runs](SqliteDb& db) {
                      ++runs;
                      db.exec("CREATE TABLE seen (n INTEGER); INSERT INTO seen VALUES (1)");
                    }}};
}

}  // namespace

TEST_CASE("sqlite schema: a new file gets every step, in order, and the newest version", "[sqlite]") {
  SqliteFile file;
  int runs = 0;
  {
    SqliteDb db(file.path(), three_steps(runs));
    CHECK(db.schema_version() == 3);
  }
  CHECK(file.version() == 3);
  CHECK(runs == 1);
  CHECK(file.rows("SELECT name FROM pragma_table_info('t')") == std::vector<std::string>{"a", "b"});
  SqliteDb again(file.path(), three_steps(runs));  // nothing left to do
  CHECK(runs == 1);
  CHECK(again.schema_version() == 3);
}

TEST_CASE("sqlite schema: an older file gets only the steps it lacks, its rows kept", "[sqlite]") {
  SqliteFile file;
  file.exec("CREATE TABLE t (a INTEGER NOT NULL); INSERT INTO t VALUES (7); PRAGMA user_version = 1");
  int runs = 0;
  SqliteDb db(file.path(), three_steps(runs));
  CHECK(db.schema_version() == 3);
  CHECK(runs == 1);
  CHECK(file.rows("SELECT a, b FROM t") == std::vector<std::string>{"7|x"});
}

TEST_CASE("sqlite schema: a failing step is undone and names its version, the steps before it stay", "[sqlite]") {
  SqliteFile file;
  std::vector<Migration> steps{sql_migration("a table", "CREATE TABLE t (a INTEGER)"),
                               sql_migration("half done", "CREATE TABLE u (b INTEGER); SELECT * FROM nowhere")};
  CHECK_THROWS_WITH(SqliteDb(file.path(), steps),
                    Catch::Contains(file.path()) && Catch::Contains("schema version 2 (half done)") &&
                        Catch::Contains("no such table: nowhere"));
  CHECK(file.version() == 1);
  CHECK(file.rows("SELECT name FROM sqlite_master WHERE name = 'u'").empty());
}

TEST_CASE("sqlite schema: a file newer than the code is refused and left as it is", "[sqlite]") {
  SqliteFile file;
  file.exec("CREATE TABLE t (a INTEGER NOT NULL, b TEXT, c BLOB); PRAGMA user_version = 4");
  int runs = 0;
  CHECK_THROWS_WITH(SqliteDb(file.path(), three_steps(runs)),
                    Catch::Contains(file.path()) && Catch::Contains("schema version 4 is newer than this mxsentry's (3)"));
  CHECK(runs == 0);
  CHECK(file.version() == 4);
}
