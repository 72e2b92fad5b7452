#include "coordinator/analysis/analyse.h"

#include <algorithm>

#include "coordinator/analysis/classify.h"

namespace mxsentry {

Verdict analyse(const std::string& vantage, const Observation& o, const Truth& truth, const EvidenceContext& context,
                const std::vector<Evidence>& later) {
  Findings findings = gather_evidence(o, truth, context);
  for (Evidence e : later)
    if (std::find(findings.evidence.begin(), findings.evidence.end(), e) == findings.evidence.end())
      findings.evidence.push_back(e);
  Decision decision = decide(findings.evidence, *context.config);

  Verdict v;
  v.vantage = vantage;
  v.resolver = o.resolver;
  v.qname = o.qname;
  v.qtype = o.qtype;
  v.verdict = decision.verdict;
  v.confidence = decision.confidence;
  v.evidence = std::move(findings.evidence);
  v.observed = std::move(findings.comparison.observed);
  v.expected = std::move(findings.comparison.expected);
  v.ttl = findings.comparison.max_ttl;
  v.expected_ttl = findings.comparison.expected_ttl;
  v.dnssec = truth.rcode < 0 ? "indeterminate" : dnssec::to_string(truth.dnssec.status);
  v.rcode = o.rcode;
  v.attack = attack_named_by(v);
  return v;
}

}  // namespace mxsentry
