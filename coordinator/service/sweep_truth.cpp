#include "coordinator/service/sweep_truth.h"

#include "coordinator/judging/reverify_truths.h"
#include "coordinator/sweep/truth_answer_sets.h"
#include "coordinator/truth/trust_anchor.h"

namespace mxsentry {

AnswerSets answer_sets_of(const std::map<Question, Truth>& truths) {
  AnswerSets out;
  for (const auto& [question, truth] : truths) {
    auto sets = truth_answer_sets(truth);
    if (!sets.empty()) out[question] = std::move(sets);
  }
  return out;
}

AnswerSets find_answer_sets(TruthOptions options, const std::vector<Question>& questions) {
  options.questions.clear();
  for (const auto& q : questions) options.questions.emplace_back(q.qname, q.qtype);
  dnssec::Validator validator;
  load_trust_anchor(validator, options.trust_anchor);
  return answer_sets_of(truths_by_question(find_truths(options, validator)));
}

}  // namespace mxsentry
