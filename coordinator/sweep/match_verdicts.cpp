#include "coordinator/sweep/match_verdicts.h"

#include <algorithm>

namespace mxsentry {

bool is_plain_match(const Verdict& verdict) {
  return verdict.verdict == VerdictClass::consistent && verdict.evidence.size() == 1 &&
         verdict.evidence.front() == Evidence::match && verdict.attack.empty();
}

Verdict implied_verdict(const Verdict& tmpl, const std::string& vantage, const Observation& observation) {
  Verdict v = tmpl;
  v.vantage = vantage;
  v.resolver = observation.resolver;
  // As compare_with_truth: the highest TTL among the answer's records.
  v.ttl = 0;
  for (const auto& record : observation.answers) v.ttl = std::max(v.ttl, record.ttl);
  return v;
}

std::optional<Verdict> implied_verdict(const MatchTemplates& templates, const std::string& vantage,
                                       const Observation& observation, std::uint32_t answer_set) {
  auto it = templates.find(MatchKey{observation.qname, observation.qtype, answer_set});
  if (it == templates.end()) return std::nullopt;
  return implied_verdict(it->second.verdict, vantage, observation);
}

}  // namespace mxsentry
