#include "coordinator/check/mail_targets.h"

#include <algorithm>

#include "coordinator/analysis/answer_compare.h"

namespace mxsentry {

namespace {
constexpr std::uint16_t type_ns = 2, type_mx = 15;
}

std::map<Question, Truth> truths_by_question(std::vector<Truth> truths) {
  std::map<Question, Truth> out;
  for (auto& t : truths) {
    Question q{canonical_name(t.qname), t.qtype};
    out.emplace(std::move(q), std::move(t));
  }
  return out;
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

/// Asks the authoritative servers again about every question some resolver answered with a
/// record they did not give; records they give now join the truth and are remembered.
std::set<std::string> reverify_truths(std::map<Question, Truth>& truths, const std::set<Question>& questions,
                                      TruthOptions options, dnssec::Validator& validator) {
  std::set<std::string> added;
  if (questions.empty()) return added;
  options.questions.clear();
  for (const auto& q : questions) options.questions.emplace_back(q.qname, q.qtype);
  for (Truth& again : find_truths(options, validator)) {
    auto it = truths.find(Question{canonical_name(again.qname), again.qtype});
    if (it == truths.end() || again.rcode < 0) continue;
    std::set<std::string> known;
    for (const auto& r : it->second.answers) known.insert(record_key(r));
    for (auto& r : again.answers) {
      if (known.count(record_key(r))) continue;
      added.insert(record_key(r));
      it->second.answers.push_back(r);
      it->second.ttl_max = std::max(it->second.ttl_max, r.ttl);
    }
  }
  return added;
}

}  // namespace mxsentry
