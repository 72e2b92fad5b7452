#pragma once
// A thin owner of an SQLite connection and its prepared statements: errors become
// std::runtime_error naming the file (SqliteWriteError when the file could not be written),
// statements finalize themselves, a Transaction rolls back unless committed. Every store of the project (checks, sweeps) opens its file through here,
// in WAL mode, and brings its schema up to date by `PRAGMA user_version` (docs/storage.md).

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace mxsentry {

class SqliteDb;

/// The database could not be written, through no fault of its content nor of the statement:
/// the disk is full (SQLITE_FULL) or the file system failed a read or write (SQLITE_IOERR,
/// any extended code). The same write may succeed later, when space returns. Every other
/// error stays a plain std::runtime_error: a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), a
/// bug (SQLITE_ERROR, SQLITE_CONSTRAINT, SQLITE_MISUSE, SQLITE_RANGE), a lock held too long
/// (SQLITE_BUSY), a file that cannot be opened (SQLITE_CANTOPEN).
class SqliteWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// True for the result codes of SqliteWriteError (primary or extended).
bool is_write_failure(int sqlite_code);

/// One step of a store's schema. Step i (from 0) turns a database of version i into version
/// i + 1. A released step never changes: a new shape is a new step at the end.
struct Migration {
  std::string summary;  ///< what the step changes, named in errors
  std::function<void(SqliteDb&)> apply;
};

/// A step that runs SQL text.
Migration sql_migration(std::string summary, std::string sql);

class SqliteDb {
 public:
  /// Opens (creating) the file in WAL mode and applies the steps of `schema` the file lacks,
  /// each in its own transaction with user_version bumped in it. Throws std::runtime_error
  /// naming the file when it is not a database, a step fails, or its version is newer than
  /// `schema` knows (written by a newer mxsentry).
  SqliteDb(const std::string& path, const std::vector<Migration>& schema);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const char* sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  /// The file's `PRAGMA user_version`: how many steps of its schema it has.
  int schema_version();

 private:
  void migrate(const std::vector<Migration>& schema);
  std::string path_;
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(SqliteDb& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t value);
  Statement& bind(int i, double value);
  Statement& bind(int i, std::string_view text);
  Statement& bind_blob(int i, std::string_view bytes);
  Statement& bind_null(int i);
  /// Runs a statement that returns no rows, then resets it for the next bindings.
  void run();
  /// Steps once: true with a row to read, false when done (then reset for reuse).
  bool step();

  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::string blob(int column) const;
  bool is_null(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT; rolled back when destroyed uncommitted (an exception).
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace mxsentry
