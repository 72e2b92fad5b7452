#include "coordinator/judging/answer_counter.h"

namespace mxsentry {

AnswerCounter::AnswerCounter(ResolverAsns tagged, const AsnDatabase* asn_db) : tagged_(std::move(tagged)), asn_db_(asn_db) {}

void AnswerCounter::count(const std::string& vantage, const Endpoint& resolver, const std::string& qname,
                          std::uint16_t qtype, bool answered, const std::vector<ResourceRecord>& answers) {
  const std::uint32_t asn = resolver_asn(&tagged_, asn_db_, resolver);
  if (asn != 0) resolver_ases_.insert(asn);
  distribution_.add(vantage, qname, qtype, answered, answers, asn);
  vantages_.insert(vantage);
  ++counted_;
}

Judge::Counts AnswerCounter::counts(bool all_mode) const {
  // In shard mode each resolver is asked from one vantage by design: no vantage-local.
  return Judge::Counts{distribution_, resolver_ases_, all_mode ? vantages_.size() : 1, counted_};
}

Judge::Counts AnswerCounter::take_counts(bool all_mode) {
  Judge::Counts out{std::move(distribution_), std::move(resolver_ases_), all_mode ? vantages_.size() : 1, counted_};
  distribution_ = AnswerDistribution{};
  resolver_ases_.clear();
  vantages_.clear();
  counted_ = 0;
  return out;
}

}  // namespace mxsentry
