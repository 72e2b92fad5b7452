#pragma once
// What an HTML report shows, as plain data: gathered from a store by ReportBuilder, drawn by
// render_report_html. Every string here is data (resolver names, host names, rdata, evidence)
// and is escaped when drawn.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mxsentry {

/// The verdict classes in the order reports list them.
const std::vector<std::string>& report_verdict_classes();

/// Counts per verdict class ("poisoned": 3).
using ClassCounts = std::map<std::string, std::uint64_t>;

/// One run (a sweep or a check) as the report names it.
struct ReportRun {
  std::string kind;  ///< "sweep" or "check"
  std::int64_t id = 0;
  std::int64_t started_ms = 0;
  std::string about;  ///< a sweep's name and state, a check's domains and vantage
};

/// One verdict, its fields as text (the store's verdict JSON, parsed by the caller).
struct ReportVerdict {
  std::string vantage, resolver, qname, qtype, verdict;
  double confidence = 0;
  std::vector<std::string> evidence, observed, expected;
  std::uint32_t ttl = 0, expected_ttl = 0;
  std::string attack;
};

/// Where a resolver is, when a catalog or the store says so.
struct ResolverOrigin {
  std::string country;    ///< ISO 3166 alpha-2, "" unknown
  std::uint32_t asn = 0;  ///< 0 unknown
};

struct TargetCounts {
  std::string qname, qtype;
  ClassCounts counts;
};

/// One rdata a host's answers held, and how many resolvers (per vantage) gave it.
struct AnswerShare {
  std::string rdata;
  std::uint64_t resolvers = 0;
  bool in_truth = false;  ///< the truth had it
  std::string asn;        ///< "AS64500" when an A/AAAA address's AS is known, else ""
};

struct HostAnswers {
  std::string qname, qtype;
  std::vector<AnswerShare> answers;  ///< most given first
  std::uint64_t flagged = 0;         ///< flagged verdicts for this question
};

struct FlaggedVerdict {
  std::string run;  ///< "sweep 3", "check 1"
  ReportVerdict verdict;
  ResolverOrigin origin;
};

/// A count per group (a country, an AS).
struct GroupCount {
  std::string group;
  std::uint64_t resolvers = 0;
};

/// A forged record at one resolver: when it was first and last seen, over the store's runs.
struct ForgedRecord {
  std::string resolver, qname, qtype, rdata;
  std::int64_t first_ms = 0, last_ms = 0;
  std::uint64_t sightings = 0;
  std::uint64_t runs = 0;  ///< how many runs saw it
};

struct TrendPoint {
  ReportRun run;
  ClassCounts counts;
};

struct ReportData {
  std::string source;         ///< the store's file name
  std::string selection;      ///< "sweep 3", "check 1", "every run"
  std::int64_t generated_ms = 0;
  std::vector<ReportRun> runs;  ///< the runs reported on
  std::uint64_t resolvers = 0, targets = 0, verdicts = 0;
  ClassCounts counts;
  std::vector<TargetCounts> per_target;           ///< in question order
  std::vector<HostAnswers> hosts;                 ///< questions with flagged answers first
  std::vector<FlaggedVerdict> flagged;            ///< poisoned first, then suspicious
  std::vector<GroupCount> flagged_by_country;     ///< resolvers with a flagged verdict; empty when no country is known
  std::vector<GroupCount> flagged_by_asn;
  std::uint64_t flagged_resolvers = 0;
  std::vector<ForgedRecord> forged;               ///< longest-lived first
  std::vector<TrendPoint> trend;                  ///< every run of the store, oldest first
};

}  // namespace mxsentry
