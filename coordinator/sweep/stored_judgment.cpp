#include "coordinator/sweep/stored_judgment.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/analysis/verdict_parse.h"

namespace mxsentry {

ExpectedFacts expected_facts(const Verdict& v) { return ExpectedFacts{v.expected, v.expected_ttl, v.dnssec}; }

namespace {

// A verdict whose only fields are the facts (the others at their defaults).
Verdict with_facts(const ExpectedFacts& facts) {
  Verdict v;
  v.expected = facts.expected;
  v.expected_ttl = facts.expected_ttl;
  v.dnssec = facts.dnssec;
  return v;
}

}  // namespace

std::string expected_facts_json(const ExpectedFacts& facts) {
  std::string json = verdict_overrides(with_facts(facts), Verdict{});
  return json.empty() ? "{}" : json;
}

ExpectedFacts parse_expected_facts(const std::string& json) {
  Verdict v;
  apply_verdict_overrides(json, v);
  if (!v.observed.empty() || v.ttl || v.rcode != -1 || !v.attack.empty() || !v.vantage.empty() || !v.qname.empty() ||
      v.qtype || v.resolver != Endpoint{})
    throw std::invalid_argument("expected facts: only expected, expected_ttl and dnssec may be set");
  return expected_facts(v);
}

Verdict base_verdict(const std::string& vantage, const Observation& o, const ExpectedFacts& facts) {
  // Without an answer nothing was compared with the truth (gather_evidence): nothing expected.
  Verdict v = o.outcome == Outcome::answer ? with_facts(facts) : with_facts(ExpectedFacts{{}, 0, facts.dnssec});
  v.vantage = vantage;
  v.resolver = o.resolver;
  v.qname = o.qname;
  v.qtype = o.qtype;
  // As compare_with_truth: the asked type's rdata, sorted; the highest TTL of every record.
  for (const auto& record : o.answers) {
    v.ttl = std::max(v.ttl, record.ttl);
    if (record.type == o.qtype) v.observed.push_back(record.rdata);
  }
  std::sort(v.observed.begin(), v.observed.end());
  v.rcode = o.rcode;
  return v;
}

StoredJudgment stored_judgment(const Verdict& verdict, const std::string& vantage, const Observation& observation,
                               const ExpectedFacts& facts) {
  StoredJudgment out;
  out.verdict = verdict.verdict;
  const double confidence = std::isfinite(verdict.confidence) ? std::clamp(verdict.confidence, 0.0, 1.0) : 0.0;
  out.confidence_millis = std::llround(confidence * 1000.0);
  for (Evidence e : verdict.evidence) out.evidence.push_back(static_cast<char>(static_cast<std::uint8_t>(e)));
  Verdict base = base_verdict(vantage, observation, facts);
  base.verdict = verdict.verdict;
  base.evidence = verdict.evidence;
  base.attack = attack_named_by(base);
  out.overrides = verdict_overrides(verdict, base);
  return out;
}

Verdict stored_verdict(const StoredJudgment& j, const std::string& vantage, const Observation& observation,
                       const ExpectedFacts& facts) {
  if (static_cast<std::int64_t>(j.verdict) < 0 || j.verdict > VerdictClass::not_asked)
    throw std::invalid_argument("stored verdict: class " + std::to_string(static_cast<std::int64_t>(j.verdict)) +
                                " names none");
  if (j.confidence_millis < 0 || j.confidence_millis > 1000)
    throw std::invalid_argument("stored verdict: confidence " + std::to_string(j.confidence_millis) +
                                " is outside 0..1000");
  Verdict v = base_verdict(vantage, observation, facts);
  v.verdict = j.verdict;
  v.confidence = static_cast<double>(j.confidence_millis) / 1000.0;
  const std::size_t codes = all_evidence().size();
  for (char byte : j.evidence) {
    const auto code = static_cast<std::uint8_t>(byte);
    if (code >= codes) throw std::invalid_argument("stored verdict: evidence " + std::to_string(code) + " names none");
    v.evidence.push_back(static_cast<Evidence>(code));
  }
  v.attack = attack_named_by(v);
  if (!j.overrides.empty()) apply_verdict_overrides(j.overrides, v);
  return v;
}

}  // namespace mxsentry
