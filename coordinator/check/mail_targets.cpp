#include "coordinator/check/mail_targets.h"

#include "coordinator/judging/reverify_truths.h"

namespace mxsentry {

namespace {
constexpr std::uint16_t type_ns = 2, type_mx = 15;
}

MailTargets find_mail_targets(const std::vector<std::string>& domains, const std::vector<std::uint16_t>& host_types,
                              TruthOptions options, dnssec::Validator& validator) {
  MailTargets out;
  options.questions.clear();
  for (const auto& d : domains) {
    options.questions.emplace_back(d, type_mx);
    options.questions.emplace_back(d, type_ns);
  }
  std::vector<Truth> domain_truths = find_truths(options, validator);
  out.domains = domain_targets(domains, domain_truths);
  out.questions = check_questions(out.domains, host_types);
  out.truths = truths_by_question(std::move(domain_truths));
  options.questions.clear();
  for (const auto& q : out.questions)
    if (!out.truths.count(q)) options.questions.emplace_back(q.qname, q.qtype);
  for (auto& [q, t] : truths_by_question(find_truths(options, validator))) out.truths.emplace(q, std::move(t));
  return out;
}

}  // namespace mxsentry
