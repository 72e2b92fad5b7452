#pragma once
// Small builders for observations and truths, so each analysis test states only what matters.

#include <string>
#include <vector>

#include "coordinator/truth/truth_types.h"
#include "prober/core/observation.h"

namespace mxsentry::test {

inline ResourceRecord rr(const std::string& name, std::uint16_t type, std::uint32_t ttl, const std::string& rdata) {
  return ResourceRecord{name, type, ttl, rdata};
}

inline Truth truth_of(const std::string& qname, std::uint16_t qtype, std::vector<ResourceRecord> answers,
                      dnssec::Status status = dnssec::Status::insecure) {
  Truth t;
  t.qname = qname;
  t.qtype = qtype;
  t.zone = "example.";
  t.rcode = 0;
  t.answers = std::move(answers);
  for (const auto& r : t.answers) {
    t.ttl_min = t.ttl_min == 0 ? r.ttl : std::min(t.ttl_min, r.ttl);
    t.ttl_max = std::max(t.ttl_max, r.ttl);
  }
  t.dnssec.status = status;
  return t;
}

inline Observation answer_of(const std::string& resolver, const std::string& qname, std::uint16_t qtype,
                             std::vector<ResourceRecord> answers, int rcode = 0) {
  Observation o;
  o.resolver = *Endpoint::parse(resolver);
  o.qname = qname;
  o.qtype = qtype;
  o.outcome = Outcome::answer;
  o.rcode = rcode;
  o.answers = std::move(answers);
  return o;
}

}  // namespace mxsentry::test

#include "coordinator/analysis/evidence.h"

namespace mxsentry::test {

inline EvidenceContext context_for(const AnalysisConfig& config, const AnswerDistribution* distribution = nullptr) {
  EvidenceContext context;
  context.config = &config;
  context.distribution = distribution;
  return context;
}

}  // namespace mxsentry::test
