#pragma once
// A database file under /tmp, removed with its WAL files when the test ends, and plain SQL on
// it that runs no schema steps: to make a file as an older mxsentry left it, and to look at
// what a store made of it.

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "tests/unit/temp_file.h"

namespace mxsentry::test {

class SqliteFile {
 public:
  SqliteFile() = default;
  ~SqliteFile() {
    for (const char* suffix : {"-wal", "-shm", "-journal"}) std::remove((path() + suffix).c_str());
  }
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;
  const std::string& path() const { return file_.path(); }

  /// Runs SQL on the file as it is; fails the test on an error.
  void exec(const std::string& sql) const {
    with_db([&](sqlite3* db) {
      char* message = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
      std::string why = message ? message : "";
      sqlite3_free(message);
      INFO(why);
      REQUIRE(rc == SQLITE_OK);
    });
  }

  /// Runs the SQL of a file (a fixture).
  void exec_file(const std::string& sql_path) const {
    std::ifstream in(sql_path);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    exec(text.str());
  }

  /// Each row of a query as its columns' text joined by '|' (NULL as "NULL").
  std::vector<std::string> rows(const std::string& sql) const {
    std::vector<std::string> out;
    with_db([&](sqlite3* db) {
      sqlite3_stmt* stmt = nullptr;
      INFO(sql);
      REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::string row;
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
          if (i) row += '|';
          const unsigned char* text = sqlite3_column_text(stmt, i);
          row += text ? reinterpret_cast<const char*>(text) : "NULL";
        }
        out.push_back(row);
      }
      sqlite3_finalize(stmt);
    });
    return out;
  }

  /// The file's user_version.
  int version() const { return std::stoi(rows("PRAGMA user_version").at(0)); }

  /// Every table's columns (name, type, not null, default, key) and every index's columns,
  /// one line each: what a file's shape is, whatever text made it.
  std::vector<std::string> shape() const {
    std::vector<std::string> out;
    for (const auto& name : rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      std::string line = "table " + name;
      for (const auto& c : rows("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('" + name + "')"))
        line += " (" + c + ")";
      for (const auto& w : rows("SELECT wr FROM pragma_table_list WHERE name = '" + name + "'")) line += " wr=" + w;
      for (const auto& f : rows("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('" + name + "')"))
        line += " fk(" + f + ")";
      out.push_back(line);
    }
    for (const auto& index : rows("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name")) {
      std::string name = index.substr(0, index.find('|'));
      std::string line = "index " + index;
      for (const auto& c : rows("SELECT name FROM pragma_index_info('" + name + "')")) line += " " + c;
      out.push_back(line);
    }
    return out;
  }

 private:
  template <typename Use>
  void with_db(Use use) const {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open(path().c_str(), &raw);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);  // closed when a REQUIRE throws too
    REQUIRE(rc == SQLITE_OK);
    use(db.get());
  }
  TempFile file_{""};  // an empty file is a new database
};

/// Opens a new file and a file made by `previous_schema` (a fixture) with `Store`: the new file
/// gets `version`, and both end in one shape.
template <typename Store>
void check_new_file_like_migrated(const std::string& previous_schema, int version) {
  SqliteFile migrated, fresh;
  migrated.exec_file(previous_schema);
  { Store upgraded(migrated.path()); }
  { Store created(fresh.path()); }
  CHECK(migrated.version() == version);
  CHECK(fresh.version() == version);
  CHECK(fresh.shape() == migrated.shape());
}

/// A file of a version above `version` is refused by `Store`, with its name, and left as it is.
template <typename Store>
void check_newer_file_refused(const std::string& previous_schema, int version) {
  SqliteFile file;
  file.exec_file(previous_schema);
  file.exec("PRAGMA user_version = " + std::to_string(version + 1));
  CHECK_THROWS_WITH(Store(file.path()), Catch::Contains(file.path()) && Catch::Contains("newer"));
  CHECK(file.version() == version + 1);
}

}  // namespace mxsentry::test
