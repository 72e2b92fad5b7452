#pragma once
// What `mxsentry report` reads from a store: the selected runs and their verdicts, every run's
// verdict counts (the trend), the records of flagged answers over every run (how long a forgery
// stayed), and where resolvers and addresses are (the store's resolver ASes, a resolver
// catalog, an ASN database). The reading goes through export_sources; the gathering is
// ReportBuilder's.

#include <cstdint>
#include <optional>
#include <string>

#include "results/report/report_data.h"

namespace mxsentry {

struct ReportOptions {
  std::string db;
  std::optional<std::uint64_t> sweep;  ///< one sweep (coordinator file)
  std::optional<std::int64_t> check;   ///< one check (check file)
  std::string out;
  std::string resolvers_path;  ///< a resolver catalog (country=, asn= tags or CSV); "" none
  std::string asn_db_path;     ///< pfx2as or .mmdb; "" none
};

/// The report's data. Throws std::runtime_error (or ListError) naming the file that cannot be
/// read, or a run that is not in it.
ReportData gather_report(const ReportOptions& options, std::int64_t now_ms);

}  // namespace mxsentry
