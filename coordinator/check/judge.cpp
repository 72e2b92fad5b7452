#include "coordinator/check/judge.h"

#include <ctime>

#include "coordinator/check/signature_check.h"

namespace mxsentry {

Judge::Judge(const AnalysisConfig& config, std::map<Question, Truth>& truths, const dnssec::Validator& validator,
             const AsnDatabase* asn_db, const PrefixList* ioc)
    : config_(config), truths_(truths), validator_(validator), asn_db_(asn_db) {
  context_.config = &config_;
  context_.distribution = &distribution_;
  context_.ioc = ioc;
  context_.reverified = &reverified_;
  if (asn_db_) {
    context_.asns_of = [this](const Endpoint& address) {
      auto info = asn_db_->lookup(address);
      return info ? info->asns : std::vector<std::uint32_t>{};
    };
  }
  context_.check_signatures = [this](const Observation& o, const Truth& t) {
    return check_answer_signatures(validator_, o, t, static_cast<std::uint32_t>(std::time(nullptr)));
  };
  no_truth_.error = "no truth was looked up for this question";
}

void Judge::count(const std::string& vantage, const Observation& observation, std::uint32_t resolver_asn) {
  distribution_.add(vantage, observation, resolver_asn);
}

std::uint32_t Judge::resolver_asn(const Endpoint& resolver, std::uint32_t tagged_asn) const {
  if (tagged_asn != 0 || !asn_db_) return tagged_asn;
  auto info = asn_db_->lookup(resolver);
  return info && !info->asns.empty() ? info->asns.front() : 0;
}

const Truth& Judge::truth_of(const Observation& o) const {
  auto it = truths_.find(Question{canonical_name(o.qname), o.qtype});
  return it == truths_.end() ? no_truth_ : it->second;
}

Verdict Judge::judge(const std::string& vantage, const Observation& o, const std::vector<Evidence>& later) const {
  return analyse(vantage, o, truth_of(o), context_, later);
}

}  // namespace mxsentry
