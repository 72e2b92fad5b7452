#pragma once
// How observations of one RRset become one COF record: rows of the same key (sensor, name
// without regard to case, type, rdata set) fold into one, over a time range and across runs,
// so that time_first/time_last say how long a record stayed in a resolver's cache. Rows come
// sorted by key (the database sorts them), and only one record is held at a time.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "results/cof_record.h"

namespace mxsentry {

/// The name as aggregation compares it: ASCII letters in lower case.
std::string cof_name_key(std::string_view rrname);
/// Whether two records are one record for aggregation.
bool same_cof_key(const CofRecord& a, const CofRecord& b);
/// How bad a verdict is: poisoned 2, suspicious 1, anything else 0 (the worse one is kept).
int verdict_severity(std::string_view verdict);

/// Folds `row` into `into` (same key): the earliest first and latest last time, counts added
/// (absent only when every row lacks one), the origin of the row seen first, the worse verdict
/// and the union of evidence, the first bailiwick known.
void merge_cof(CofRecord& into, const CofRecord& row);

/// Folds a key-sorted stream of rows and hands each finished record to `emit`.
class CofFolder {
 public:
  explicit CofFolder(std::function<void(const CofRecord&)> emit) : emit_(std::move(emit)) {}
  void add(CofRecord row);
  /// Emits the last record; call once after the last row.
  void finish();

 private:
  std::function<void(const CofRecord&)> emit_;
  std::optional<CofRecord> current_;
  bool extra_differs_ = false;  ///< rows disagreed on unknown fields: none are written
};

}  // namespace mxsentry
