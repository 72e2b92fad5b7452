// Which SQLite errors are "could not write" (SqliteWriteError: worth trying again when space
// returns) and which are not (a damaged file, a bug): the coordinator retries a judging on the
// first kind only.
#include <catch2/catch.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

#include "results/sqlite_db.h"
#include "tests/unit/sqlite_file.h"

using mxsentry::is_write_failure;
using mxsentry::SqliteDb;
using mxsentry::SqliteWriteError;
using mxsentry::Statement;
using mxsentry::Transaction;
using mxsentry::sql_migration;
using mxsentry::test::SqliteFile;

namespace {

std::vector<mxsentry::Migration> one_table() {
  return {sql_migration("a table", "CREATE TABLE t (a INTEGER PRIMARY KEY, b BLOB NOT NULL)")};
}

}  // namespace

TEST_CASE("sqlite errors: full and I/O errors are write failures, primary or extended, others are not", "[sqlite]") {
  CHECK(is_write_failure(SQLITE_FULL));
  CHECK(is_write_failure(SQLITE_IOERR));
  CHECK(is_write_failure(SQLITE_IOERR_WRITE));
  CHECK(is_write_failure(SQLITE_IOERR_FSYNC));
  CHECK_FALSE(is_write_failure(SQLITE_OK));
  CHECK_FALSE(is_write_failure(SQLITE_CORRUPT));
  CHECK_FALSE(is_write_failure(SQLITE_NOTADB));
  CHECK_FALSE(is_write_failure(SQLITE_CONSTRAINT));
  CHECK_FALSE(is_write_failure(SQLITE_CONSTRAINT_UNIQUE));
  CHECK_FALSE(is_write_failure(SQLITE_ERROR));
  CHECK_FALSE(is_write_failure(SQLITE_BUSY));
  CHECK_FALSE(is_write_failure(SQLITE_CANTOPEN));
}

TEST_CASE("sqlite errors: a database that may not grow refuses inserts with SqliteWriteError, and takes them after", "[sqlite]") {
  SqliteFile file;
  SqliteDb db(file.path(), one_table());
  // A page limit stands for a full disk: SQLite says SQLITE_FULL, "database or disk is full".
  db.exec("PRAGMA max_page_count = 8");
  Statement insert(db, "INSERT INTO t (b) VALUES (?)");
  const std::string row(2000, 'x');
  int kept = 0;
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    try {
      Transaction transaction(db);
      insert.bind_blob(1, row).run();
      transaction.commit();
      ++kept;
    } catch (const SqliteWriteError& e) {
      refused = true;
      CHECK(std::string(e.what()).find("full") != std::string::npos);
      CHECK(std::string(e.what()).starts_with(file.path() + ": "));
    }
  }
  REQUIRE(refused);
  CHECK(kept > 0);
  // Room again: the same statement writes.
  db.exec("PRAGMA max_page_count = 1000");
  Transaction transaction(db);
  insert.bind_blob(1, row).run();
  transaction.commit();
  Statement count(db, "SELECT count(*) FROM t");
  REQUIRE(count.step());
  CHECK(count.integer(0) == kept + 1);
}

TEST_CASE("sqlite errors: a constraint, bad SQL and a file that is no database are not write failures", "[sqlite]") {
  SqliteFile file;
  {
    SqliteDb db(file.path(), one_table());
    db.exec("INSERT INTO t (a, b) VALUES (1, 'x')");
    Statement again(db, "INSERT INTO t (a, b) VALUES (1, 'y')");
    try {
      again.run();
      FAIL("a duplicate key was taken");
    } catch (const SqliteWriteError&) {
      FAIL("a constraint is no write failure");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).find("UNIQUE") != std::string::npos);
    }
    try {
      db.exec("INSERT INTO nowhere VALUES (1)");
      FAIL("bad SQL ran");
    } catch (const SqliteWriteError&) {
      FAIL("bad SQL is no write failure");
    } catch (const std::runtime_error&) {
    }
  }
  SqliteFile garbage;
  std::ofstream(garbage.path(), std::ios::binary | std::ios::trunc) << std::string(8192, 'g');
  try {
    SqliteDb db(garbage.path(), one_table());
    FAIL("a file of garbage was opened");
  } catch (const SqliteWriteError&) {
    FAIL("a damaged file is no write failure");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("not a database") != std::string::npos);
  }
}
