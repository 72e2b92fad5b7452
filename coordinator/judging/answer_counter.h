#pragma once
// A sweep's answers counted as they arrive, as its first judging's first pass would count them
// (Judge::count): the answer spread per question and record, the resolvers' ASes, the
// vantages. The coordinator's loop counts each result its ledger takes, compact ones by their
// answer set's records, so that the judging reads the results once instead of twice. Only
// what the store then holds may be judged with it: a judging takes the counts only when their
// number equals the sweep's stored results (a restart, or a result the store had already,
// makes it count them itself). Pure; one thread counts.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "coordinator/judging/judge.h"
#include "coordinator/judging/resolver_asns.h"
#include "prober/core/observation.h"
#include "targets/asn_database.h"

namespace mxsentry {

class AnswerCounter {
 public:
  /// `tagged`: the sweep's resolvers' tagged ASes; `asn_db` may be null and must outlive it.
  AnswerCounter(ResolverAsns tagged, const AsnDatabase* asn_db);

  /// One result of the measurement: what `vantage` got from `resolver` for the question.
  void count(const std::string& vantage, const Endpoint& resolver, const std::string& qname, std::uint16_t qtype,
             bool answered, const std::vector<ResourceRecord>& answers);
  void count(const std::string& vantage, const Observation& o) {
    count(vantage, o.resolver, o.qname, o.qtype, o.outcome == Outcome::answer, o.answers);
  }

  /// What was counted, as a judging takes it; `all_mode`: every vantage asked the same resolvers.
  Judge::Counts counts(bool all_mode) const;
  /// The same moved out (the counter is empty after): the counts are large for a large sweep.
  Judge::Counts take_counts(bool all_mode);
  std::uint64_t counted() const { return counted_; }

 private:
  ResolverAsns tagged_;
  const AsnDatabase* asn_db_;
  AnswerDistribution distribution_;
  std::set<std::uint32_t> resolver_ases_;
  std::set<std::string> vantages_;
  std::uint64_t counted_ = 0;
};

}  // namespace mxsentry
