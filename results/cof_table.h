#pragma once
// Passive-DNS records imported from COF files (`mxsentry import --format cof`), kept in their
// own table `cof_records` of a check file, one row per record as the sensor reported it. A
// record already kept (same sensor, name, type, rdata set, times and origin) is not kept twice,
// so importing a file again adds nothing.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "results/cof_record.h"
#include "results/sqlite_db.h"

namespace mxsentry {

/// CREATE TABLE cof_records and its index, in the current shape.
std::string cof_table_ddl();

/// Writes records into `cof_records` through one prepared statement.
class CofTableWriter {
 public:
  explicit CofTableWriter(SqliteDb& db);
  /// Keeps the record (from `source` at `line`); false when the same record was kept already.
  bool insert(const CofRecord& record, std::string_view source, std::int64_t line, std::int64_t imported_ms);

 private:
  SqliteDb& db_;
  Statement insert_;
};

/// Each kept record of the given types, in (type, name without regard to case or a final dot,
/// sensor, first seen) order, through the index that order has: what a passive analysis groups by name.
void for_each_cof_row_by_name(SqliteDb& db, const std::vector<std::uint16_t>& rrtypes,
                              const std::function<void(CofRecord&&)>& visit);
/// CREATE INDEX for that order (a migration of the stores that hold `cof_records`).
std::string cof_name_index_ddl();

/// Each kept record whose [time_first, time_last] meets [since_ms, until_ms], in key order.
void for_each_cof_row(SqliteDb& db, std::int64_t since_ms, std::int64_t until_ms,
                      const std::function<void(CofRecord&&)>& visit);

}  // namespace mxsentry
