#include "results/sqlite_db.h"

#include <stdexcept>

#include <sqlite3.h>

namespace mxsentry {

bool is_write_failure(int sqlite_code) {
  const int primary = sqlite_code & 0xff;
  return primary == SQLITE_FULL || primary == SQLITE_IOERR;
}

namespace {

/// The error of a failed call: SqliteWriteError when `rc` says the file could not be written.
[[noreturn]] void fail(int rc, const std::string& message) {
  if (is_write_failure(rc)) throw SqliteWriteError(message);
  throw std::runtime_error(message);
}

}  // namespace

Migration sql_migration(std::string summary, std::string sql) {
  return Migration{std::move(summary), [sql = std::move(sql)](SqliteDb& db) { db.exec(sql.c_str()); }};
}

SqliteDb::SqliteDb(const std::string& path, const std::vector<Migration>& schema) : path_(path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA foreign_keys=ON");
    migrate(schema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

void SqliteDb::exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string why = message ? message : "unknown error";
    sqlite3_free(message);
    fail(rc, path_ + ": " + why);
  }
}

int SqliteDb::schema_version() {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK)
    throw std::runtime_error(path_ + ": " + sqlite3_errmsg(db_));
  int rc = sqlite3_step(stmt);
  int version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
  std::string why = rc == SQLITE_ROW ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) throw std::runtime_error(path_ + ": " + why);
  return version;
}

void SqliteDb::migrate(const std::vector<Migration>& schema) {
  const auto known = static_cast<int>(schema.size());
  auto refuse_newer = [&](int version) {
    if (version > known)
      throw std::runtime_error(path_ + ": schema version " + std::to_string(version) + " is newer than this mxsentry's (" +
                               std::to_string(known) + "); open it with the mxsentry that wrote it, or a newer one");
  };
  int version = schema_version();
  refuse_newer(version);
  while (version < known) {
    Transaction transaction(*this);
    // Another process may have migrated between the read above and this write lock.
    version = schema_version();
    refuse_newer(version);
    if (version == known) break;
    const Migration& step = schema[static_cast<std::size_t>(version)];
    try {
      step.apply(*this);
    } catch (const std::exception& e) {
      std::string why = e.what();
      if (why.starts_with(path_ + ": ")) why.erase(0, path_.size() + 2);  // named once is enough
      throw std::runtime_error(path_ + ": schema version " + std::to_string(version + 1) + " (" + step.summary +
                               "): " + why);
    }
    exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
    transaction.commit();
    ++version;
  }
}

std::int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int SqliteDb::changes() const { return sqlite3_changes(db_); }

Statement::Statement(SqliteDb& db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr) != SQLITE_OK)
    throw std::runtime_error(db.path() + ": " + sqlite3_errmsg(db.handle()));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int i, std::int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}
Statement& Statement::bind(int i, double value) {
  sqlite3_bind_double(stmt_, i, value);
  return *this;
}
Statement& Statement::bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

void Statement::run() {
  if (step()) throw std::runtime_error(db_.path() + ": statement returned rows where none were expected");
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  std::string why = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_.handle());
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (rc != SQLITE_DONE) fail(rc, db_.path() + ": " + why);
  return false;
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}
std::string Statement::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}
bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(SqliteDb& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}
void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace mxsentry
