#include "coordinator/check/check_store.h"

#include <chrono>
#include <stdexcept>

#include <sqlite3.h>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/truth/truth_output.h"
#include "prober/core/response_parse.h"
#include "results/observation_json.h"

namespace mxsentry {

namespace {

constexpr const char* schema = R"(
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
)";

/// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& path) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(path + ": " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  void run(const std::string& path) {
    if (sqlite3_step(stmt_) != SQLITE_DONE) throw std::runtime_error(path + ": " + sqlite3_errmsg(db_));
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string line_without_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

CheckStore::CheckStore(const std::string& path) : path_(path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec("PRAGMA journal_mode=WAL");
    exec(schema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

CheckStore::~CheckStore() { sqlite3_close(db_); }

void CheckStore::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string why = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error(path_ + ": " + why);
  }
}

std::int64_t CheckStore::save(const std::vector<std::string>& domains, const std::string& vantage,
                              const std::vector<Observation>& observations, const std::map<Question, Truth>& truths,
                              const std::vector<Verdict>& verdicts) {
  exec("BEGIN IMMEDIATE");
  try {
    std::string domain_list;
    for (const auto& d : domains) domain_list += (domain_list.empty() ? "" : " ") + d;
    std::int64_t started = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
    Statement check(db_, "INSERT INTO checks (started_ms, vantage, domains) VALUES (?, ?, ?)", path_);
    check.bind(1, started).bind(2, vantage).bind(3, domain_list).run(path_);
    std::int64_t id = sqlite3_last_insert_rowid(db_);

    Statement obs(db_, "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?)", path_);
    std::string json;
    for (std::size_t i = 0; i < observations.size(); ++i) {
      const Observation& o = observations[i];
      json.clear();
      append_observation_json(json, o);
      obs.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, o.resolver.to_string()).bind(4, o.qname)
          .bind(5, rr_type_name(o.qtype)).bind(6, line_without_newline(json)).run(path_);
    }
    Statement truth(db_, "INSERT INTO truths VALUES (?, ?, ?, ?)", path_);
    for (const auto& [q, t] : truths) {
      json.clear();
      append_truth_json(json, t);
      truth.bind(1, id).bind(2, q.qname).bind(3, rr_type_name(q.qtype)).bind(4, line_without_newline(json)).run(path_);
    }
    Statement verdict(db_, "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", path_);
    for (const auto& v : verdicts) {
      json.clear();
      append_verdict_json(json, v);
      verdict.bind(1, id).bind(2, v.vantage).bind(3, v.resolver.to_string()).bind(4, v.qname)
          .bind(5, rr_type_name(v.qtype)).bind(6, std::string(to_string(v.verdict))).bind(7, v.confidence)
          .bind(8, line_without_newline(json)).run(path_);
    }
    exec("COMMIT");
    return id;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace mxsentry
