#pragma once
// Where an export gathers its rows before writing: a private temporary SQLite file (deleted
// when closed). Rows go in as they are read from a store; they come back sorted by key, the
// sort done by SQLite on disk, and folded one record at a time (results/cof_aggregate.h), so
// the memory an export needs does not grow with the store.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "results/cof_record.h"
#include "results/ioc_line.h"
#include "results/sqlite_db.h"

namespace mxsentry {

class CofStaging {
 public:
  /// Opens the temporary file; throws std::runtime_error when it cannot.
  CofStaging();
  ~CofStaging();
  CofStaging(const CofStaging&) = delete;
  CofStaging& operator=(const CofStaging&) = delete;

  /// One row of a record (an RRset seen once, or an imported record).
  void add(const CofRecord& row);
  /// One sighting of a forged address.
  void add_ioc(std::string_view address, std::string_view rrname, std::string_view resolver, std::int64_t first_ms,
               std::int64_t last_ms, std::string_view verdict);
  std::uint64_t rows() const { return rows_; }

  /// Each record, rows of one key folded into one, in key order; returns how many.
  std::uint64_t for_each_record(const std::function<void(const CofRecord&)>& emit);
  /// Each row as it was added, unfolded, in (type, name without regard to case or a final dot,
  /// sensor, first seen) order: what a passive analysis groups by name; returns how many.
  std::uint64_t for_each_row_by_name(const std::function<void(const CofRecord&)>& emit);
  /// Each forged address with every sighting of it gathered, in address order; returns how many.
  std::uint64_t for_each_ioc(const std::function<void(const IocEntry&)>& emit);

 private:
  void count_row();
  void commit();
  SqliteDb db_;
  Statement insert_;
  Statement insert_ioc_;
  std::uint64_t rows_ = 0;
  std::uint64_t in_transaction_ = 0;
};

}  // namespace mxsentry
