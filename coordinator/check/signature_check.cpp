#include "coordinator/check/signature_check.h"

#include <cctype>
#include <sstream>

#include "prober/core/response_parse.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_rrsig = 46;

bool same_name(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string record_text(const ResourceRecord& r) {
  return r.name + " " + std::to_string(r.ttl) + " IN " + rr_type_name(r.type) + " " + r.rdata;
}

}  // namespace

std::optional<dnssec::Verdict> check_answer_signatures(const dnssec::Validator& validator, const Observation& o,
                                                       const Truth& truth, std::uint32_t now) {
  std::string owner;
  for (const auto& r : o.answers)
    if (r.type == o.qtype) owner = r.name;
  if (owner.empty()) return std::nullopt;
  std::vector<std::string> rrset, rrsigs;
  for (const auto& r : o.answers)
    if (r.type == o.qtype && same_name(r.name, owner)) rrset.push_back(record_text(r));
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

}  // namespace mxsentry
