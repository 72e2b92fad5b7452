#include "coordinator/judging/signature_check.h"

#include <cctype>
#include <sstream>

#include "coordinator/analysis/answer_compare.h"
#include "prober/core/response_parse.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_rrsig = 46;

std::string record_text(const ResourceRecord& r) {
  return r.name + " " + std::to_string(r.ttl) + " IN " + rr_type_name(r.type) + " " + r.rdata;
}

}  // namespace

std::optional<dnssec::Verdict> check_answer_signatures(const dnssec::Validator& validator, const Observation& o,
                                                       const Truth& truth, std::uint32_t now) {
  // The RRset that answers the question: the asked type at the end of the CNAME chain from
  // the qname. A validly signed RRset of some other name proves nothing about this answer.
  std::string owner = answer_owner(o);
  std::vector<std::string> rrset, rrsigs;
  for (const auto& r : o.answers) {
    if (r.type != o.qtype) continue;
    if (!same_name(r.name, owner))
      return dnssec::Verdict{dnssec::Status::bogus, "records of the asked type outside the answer's RRset", false};
    rrset.push_back(record_text(r));
  }
  if (rrset.empty()) return std::nullopt;
  std::string covered = rr_type_name(o.qtype);
  for (const auto& sig : o.rrsigs) {
    std::istringstream fields(sig.rdata);
    std::string type;
    fields >> type;
    if (sig.type == type_rrsig && same_name(sig.name, owner) && type == covered) rrsigs.push_back(record_text(sig));
  }
  if (rrsigs.empty()) return std::nullopt;
  return validator.verify_rrset_text(truth.zone, rrset, rrsigs, now);
}

std::uint32_t signature_time(const Observation& o) {
  // RRSIG validity times are 32-bit seconds (RFC 4034 section 3.1.5).
  return static_cast<std::uint32_t>(o.time_ms / 1000);
}

}  // namespace mxsentry
