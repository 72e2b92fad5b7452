#pragma once
// What `mxsentry export` reads: the runs of a check file or of a coordinator's file, their
// observations one at a time with the verdict of each, their verdicts one at a time, and the
// passive-DNS records imported into a check file. Nothing is gathered in memory: every visit
// comes straight from a database cursor (sweeps through SweepStore::for_each_result).

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "prober/core/observation.h"
#include "results/cof_record.h"

namespace mxsentry {

enum class StoreKind { check, coordinator };

/// What part of a store to export.
struct ExportSelection {
  std::string db;
  std::optional<std::uint64_t> sweep;   ///< one sweep (coordinator file)
  std::optional<std::int64_t> check;    ///< one check (check file)
  std::int64_t since_ms = 0;            ///< observations at or after (Unix ms)
  std::int64_t until_ms = INT64_MAX;    ///< observations at or before
  std::set<std::string> verdicts;       ///< verdict classes to keep; empty: every one
};

/// Which kind of file `path` is, from its tables. Throws std::runtime_error naming the file when
/// it does not exist or is neither kind (it is opened read-only: nothing is created).
StoreKind store_kind(const std::string& path);
/// The same for a file that may be new: nullopt when it has no tables at all (an empty file).
std::optional<StoreKind> store_kind_if_any(const std::string& path);

/// One run (a sweep or a check) as an export names it.
struct ExportRun {
  std::string kind;  ///< "sweep" or "check"
  std::int64_t id = 0;
  std::int64_t started_ms = 0;
};

/// An observation of a selected run, with what the export writes around it.
struct RunObservation {
  const ExportRun& run;
  const std::string& vantage;
  const Observation& observation;
  const Verdict* verdict;        ///< nullptr when the store has no verdict for it
  const std::string& bailiwick_owner;  ///< the name whose zone the store knows: the question, or the end of its CNAME chain
  const std::string& bailiwick;        ///< that zone; "" when the store does not know it
};

/// Visits each answered observation of the selected runs within the time range whose verdict
/// class is selected. Throws std::runtime_error naming the file (or a run that is not in it).
void for_each_run_observation(const ExportSelection& selection, StoreKind kind,
                              const std::function<void(const RunObservation&)>& visit);

/// Visits each verdict of the selected runs (those started within the time range) whose class is
/// selected, with its JSON line, in run, resolver and question order. Without `lines`, a
/// sweep's implied verdicts (compact results without a row) come with an empty line: they are
/// not written as JSON to be parsed back.
void for_each_run_verdict(const ExportSelection& selection, StoreKind kind,
                          const std::function<void(const ExportRun&, const Verdict&, const std::string&)>& visit,
                          bool lines = true);

/// Visits each imported record (check files, when no single check is selected) that meets the
/// time range and whose verdict is selected.
void for_each_imported_record(const ExportSelection& selection, StoreKind kind,
                              const std::function<void(CofRecord&&)>& visit);

}  // namespace mxsentry
