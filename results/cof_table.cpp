#include "results/cof_table.h"

#include "results/cof_aggregate.h"

namespace mxsentry {

std::string cof_table_ddl() {
  return R"(CREATE TABLE IF NOT EXISTS cof_records (
  id INTEGER PRIMARY KEY, rrname TEXT NOT NULL, name_key TEXT NOT NULL, rrtype INTEGER NOT NULL,
  rdata TEXT NOT NULL, time_first_ms INTEGER NOT NULL, time_last_ms INTEGER NOT NULL, count INTEGER,
  bailiwick TEXT NOT NULL, sensor_id TEXT NOT NULL, origin TEXT NOT NULL, verdict TEXT NOT NULL,
  evidence TEXT NOT NULL, extra TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,
  imported_ms INTEGER NOT NULL,
  UNIQUE (sensor_id, name_key, rrtype, rdata, time_first_ms, time_last_ms, origin));
)";
}

CofTableWriter::CofTableWriter(SqliteDb& db)
    : db_(db),
      insert_(db, "INSERT OR IGNORE INTO cof_records (rrname, name_key, rrtype, rdata, time_first_ms, time_last_ms, "
                  "count, bailiwick, sensor_id, origin, verdict, evidence, extra, source, line, imported_ms) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

bool CofTableWriter::insert(const CofRecord& r, std::string_view source, std::int64_t line, std::int64_t imported_ms) {
  insert_.bind(1, r.rrname).bind(2, cof_name_key(r.rrname)).bind(3, static_cast<std::int64_t>(r.rrtype))
      .bind(4, rdata_key(r.rdata)).bind(5, r.time_first_ms).bind(6, r.time_last_ms);
  if (r.count) {
    insert_.bind(7, static_cast<std::int64_t>(*r.count));
  } else {
    insert_.bind_null(7);
  }
  insert_.bind(8, r.bailiwick).bind(9, r.sensor_id).bind(10, r.origin).bind(11, r.verdict)
      .bind(12, rdata_key(r.evidence)).bind(13, r.extra).bind(14, source).bind(15, line).bind(16, imported_ms).run();
  return db_.changes() > 0;
}

std::string cof_name_index_ddl() {
  return "CREATE INDEX IF NOT EXISTS cof_records_by_name ON cof_records (rrtype, rtrim(name_key, '.'), sensor_id, "
         "time_first_ms);\n";
}

namespace {

CofRecord cof_row_of(Statement& query) {
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

constexpr const char* cof_columns =
    "SELECT rrname, rrtype, rdata, time_first_ms, time_last_ms, count, bailiwick, sensor_id, origin, verdict, "
    "evidence, extra FROM cof_records ";

}  // namespace

void for_each_cof_row_by_name(SqliteDb& db, const std::vector<std::uint16_t>& rrtypes,
                              const std::function<void(CofRecord&&)>& visit) {
  for (std::uint16_t rrtype : rrtypes) {
    // One type at a time: the index (type, name, ...) gives the order without a sort.
    Statement query(db, (std::string(cof_columns) +
                         "WHERE rrtype = ? ORDER BY rtrim(name_key, '.'), sensor_id, time_first_ms").c_str());
    query.bind(1, static_cast<std::int64_t>(rrtype));
    while (query.step()) visit(cof_row_of(query));
  }
}

void for_each_cof_row(SqliteDb& db, std::int64_t since_ms, std::int64_t until_ms,
                      const std::function<void(CofRecord&&)>& visit) {
  Statement query(db,
                  "SELECT rrname, rrtype, rdata, time_first_ms, time_last_ms, count, bailiwick, sensor_id, origin, "
                  "verdict, evidence, extra FROM cof_records WHERE time_last_ms >= ? AND time_first_ms <= ? "
                  "ORDER BY sensor_id, name_key, rrtype, rdata, time_first_ms, id");
  query.bind(1, since_ms).bind(2, until_ms);
  while (query.step()) visit(cof_row_of(query));
}

}  // namespace mxsentry
