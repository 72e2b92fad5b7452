#include "coordinator/judging/reverify_truths.h"

#include <algorithm>

#include "coordinator/analysis/answer_compare.h"
#include "protocol/dns/names.h"

namespace mxsentry {

std::map<Question, Truth> truths_by_question(std::vector<Truth> truths) {
  std::map<Question, Truth> out;
  for (auto& t : truths) {
    Question q{canonical_name(t.qname), t.qtype};
    out.emplace(std::move(q), std::move(t));
  }
  return out;
}

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
