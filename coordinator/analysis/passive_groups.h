#pragma once
// Gathers COF records that come sorted by name (case ignored) and type into one PassiveName at a
// time, keeping only A and AAAA records: the input stays on disk (a store, or a temporary
// SQLite file the database sorts), and memory holds one name's records.

#include <functional>
#include <optional>

#include "coordinator/analysis/passive_analysis.h"
#include "results/cof_record.h"

namespace mxsentry {

/// Whether the passive method looks at records of this type (A and AAAA).
bool passive_type(std::uint16_t rrtype);

class PassiveGrouper {
 public:
  explicit PassiveGrouper(std::function<void(const PassiveName&)> emit) : emit_(std::move(emit)) {}
  /// One record, in (name without regard to case, type) order; other types are skipped.
  void add(const CofRecord& record);
  /// Emits the last name; call once after the last record.
  void finish();

 private:
  std::function<void(const PassiveName&)> emit_;
  std::optional<PassiveName> current_;
  std::string current_key_;
};

}  // namespace mxsentry
