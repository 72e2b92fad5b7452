#include "results/cof_staging.h"

#include "results/cof_aggregate.h"

#include <algorithm>
#include <set>

namespace mxsentry {

namespace {

// Rows per transaction: one commit per row would make staging a million rows take minutes.
constexpr std::uint64_t batch_rows = 20000;

const std::vector<Migration>& staging_schema() {
  static const std::vector<Migration> steps{sql_migration("staging tables", R"(
CREATE TABLE rows (
  sensor_id TEXT NOT NULL, name_key TEXT NOT NULL, rrname TEXT NOT NULL, rrtype INTEGER NOT NULL,
  rdata TEXT NOT NULL, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, count INTEGER,
  bailiwick TEXT NOT NULL, origin TEXT NOT NULL, verdict TEXT NOT NULL, evidence TEXT NOT NULL,
  extra TEXT NOT NULL);
CREATE TABLE ioc (
  address TEXT NOT NULL, rrname TEXT NOT NULL, resolver TEXT NOT NULL, first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL, verdict TEXT NOT NULL);
)")};
  return steps;
}

// "" is SQLite's private temporary file, deleted when the connection closes.
SqliteDb& configured(SqliteDb& db) {
  db.exec("PRAGMA temp_store=FILE");
  db.exec("PRAGMA cache_size=-8192");  // 8 MiB of page cache, whatever the size of the rows
  return db;
}

}  // namespace

CofStaging::CofStaging()
    : db_("", staging_schema()),
      insert_(configured(db_), "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      insert_ioc_(db_, "INSERT INTO ioc VALUES (?, ?, ?, ?, ?, ?)") {}

CofStaging::~CofStaging() {
  if (in_transaction_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
    }
  }
}

void CofStaging::count_row() {
  if (in_transaction_ == 0) db_.exec("BEGIN");
  if (++in_transaction_ >= batch_rows) commit();
  ++rows_;
}

void CofStaging::commit() {
  if (in_transaction_ == 0) return;
  db_.exec("COMMIT");
  in_transaction_ = 0;
}

void CofStaging::add(const CofRecord& r) {
  count_row();
  insert_.bind(1, r.sensor_id).bind(2, cof_name_key(r.rrname)).bind(3, r.rrname)
      .bind(4, static_cast<std::int64_t>(r.rrtype)).bind(5, rdata_key(r.rdata)).bind(6, r.time_first_ms)
      .bind(7, r.time_last_ms);
  if (r.count) {
    insert_.bind(8, static_cast<std::int64_t>(*r.count));
  } else {
    insert_.bind_null(8);
  }
  insert_.bind(9, r.bailiwick).bind(10, r.origin).bind(11, r.verdict).bind(12, rdata_key(r.evidence))
      .bind(13, r.extra).run();
}

void CofStaging::add_ioc(std::string_view address, std::string_view rrname, std::string_view resolver,
                         std::int64_t first_ms, std::int64_t last_ms, std::string_view verdict) {
  count_row();
  insert_ioc_.bind(1, address).bind(2, rrname).bind(3, resolver).bind(4, first_ms).bind(5, last_ms)
      .bind(6, verdict).run();
}

namespace {

constexpr const char* row_columns =
    "SELECT rrname, rrtype, rdata, first_ms, last_ms, count, bailiwick, sensor_id, origin, verdict, evidence, extra "
    "FROM rows ";

CofRecord row_of(Statement& query) {
  CofRecord r;
  r.rrname = query.text(0);
  r.rrtype = static_cast<std::uint16_t>(query.integer(1));
  r.rdata = rdata_from_key(query.text(2));
  r.time_first_ms = query.integer(3);
  r.time_last_ms = query.integer(4);
  if (!query.is_null(5)) r.count = static_cast<std::uint64_t>(query.integer(5));
  r.bailiwick = query.text(6);
  r.sensor_id = query.text(7);
  r.origin = query.text(8);
  r.verdict = query.text(9);
  r.evidence = rdata_from_key(query.text(10));
  r.extra = query.text(11);
  return r;
}

}  // namespace

std::uint64_t CofStaging::for_each_record(const std::function<void(const CofRecord&)>& emit) {
  commit();
  std::uint64_t records = 0;
  CofFolder folder([&](const CofRecord& r) {
    ++records;
    emit(r);
  });
  Statement query(db_, (std::string(row_columns) + "ORDER BY sensor_id, name_key, rrtype, rdata, first_ms").c_str());
  while (query.step()) folder.add(row_of(query));
  folder.finish();
  return records;
}

std::uint64_t CofStaging::for_each_row_by_name(const std::function<void(const CofRecord&)>& emit) {
  commit();
  std::uint64_t rows = 0;
  Statement query(db_, (std::string(row_columns) + "ORDER BY rrtype, rtrim(name_key, '.'), sensor_id, first_ms").c_str());
  while (query.step()) {
    ++rows;
    emit(row_of(query));
  }
  return rows;
}

std::uint64_t CofStaging::for_each_ioc(const std::function<void(const IocEntry&)>& emit) {
  commit();
  std::uint64_t entries = 0;
  // One address at a time: its sightings come sorted together and are gathered here.
  Statement query(db_, "SELECT address, rrname, resolver, first_ms, last_ms, verdict FROM ioc ORDER BY address");
  IocEntry current;
  std::set<std::string> names, resolvers;
  bool open = false;
  auto flush = [&] {
    if (!open) return;
    ++entries;
    current.names.assign(names.begin(), names.end());
    current.resolvers.assign(resolvers.begin(), resolvers.end());
    emit(current);
    names.clear();
    resolvers.clear();
    open = false;
  };
  while (query.step()) {
    std::string address = query.text(0);
    if (!open || address != current.address) {
      flush();
      current = IocEntry{address, query.integer(3), query.integer(4), {}, {}, ""};
      open = true;
    }
    current.first_ms = std::min(current.first_ms, query.integer(3));
    current.last_ms = std::max(current.last_ms, query.integer(4));
    names.insert(query.text(1));
    resolvers.insert(query.text(2));
    std::string verdict = query.text(5);
    if (current.verdict.empty() || verdict_severity(verdict) > verdict_severity(current.verdict))
      current.verdict = std::move(verdict);
  }
  flush();
  return entries;
}

}  // namespace mxsentry
