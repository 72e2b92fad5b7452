#pragma once
// Gathers a report's data from what a store yields, one item at a time: the runs, their
// verdicts, the counts of every run (the trend) and the records of flagged answers (how long a
// forgery stayed). Pure: the caller reads the store and says where resolvers and addresses are.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>

#include "results/report/report_data.h"

namespace mxsentry {

struct ReportContext {
  std::string source;             ///< the store's file name
  std::string selection;          ///< what was asked: "sweep 3", "check 1", "every run"
  std::int64_t generated_ms = 0;  ///< when the report is made
  /// Where a resolver is; may be empty (nothing known).
  std::function<ResolverOrigin(const std::string& resolver)> origin_of;
  /// The AS of an answer's address ("AS64500"), "" when unknown; may be empty.
  std::function<std::string(const std::string& address)> asn_of_address;
};

class ReportBuilder {
 public:
  explicit ReportBuilder(ReportContext context);

  /// A run the report is about (its verdicts follow through add_verdict).
  void add_run(const ReportRun& run);
  /// A verdict of a run passed to add_run.
  void add_verdict(const ReportRun& run, const ReportVerdict& verdict);
  /// The verdict counts of one run of the store (any run: the trend shows them all).
  void add_trend(const ReportRun& run, const ClassCounts& counts);
  /// A record of type `qtype` in an answer `resolver` gave at `time_ms` (in any run of the
  /// store). Counted only when a flagged verdict passed to add_verdict named it as forged.
  void add_sighting(const ReportRun& run, const std::string& resolver, const std::string& qname,
                    const std::string& qtype, const std::string& rdata, std::int64_t time_ms);

  /// The report's data, sorted for reading.
  ReportData finish();

 private:
  using Question = std::pair<std::string, std::string>;  // qname, qtype
  using RecordKey = std::tuple<std::string, std::string, std::string, std::string>;  // resolver, qname, qtype, rdata
  struct Forged {
    ForgedRecord record;
    std::set<std::pair<std::string, std::int64_t>> runs;
    std::int64_t fallback_ms = 0;  // the run's start, when no sighting has a time
  };
  struct Host {
    std::map<std::string, AnswerShare> answers;
    std::uint64_t flagged = 0;
  };

  ReportContext context_;
  ReportData data_;
  std::unordered_set<std::string> resolvers_;
  std::set<std::string> names_;
  std::map<Question, ClassCounts> per_target_;
  std::map<Question, Host> hosts_;
  std::set<std::string> flagged_resolvers_;
  std::map<RecordKey, Forged> forged_;
};

}  // namespace mxsentry
