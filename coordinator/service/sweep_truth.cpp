#include "coordinator/service/sweep_truth.h"

#include "coordinator/judging/reverify_truths.h"
#include "coordinator/sweep/truth_answer_sets.h"
#include "coordinator/truth/trust_anchor.h"

#include <utility>

namespace mxsentry {

AnswerSets answer_sets_of(const std::map<Question, Truth>& truths) {
  AnswerSets out;
  for (const auto& [question, truth] : truths) {
    auto sets = truth_answer_sets(truth);
    if (!sets.empty()) out[question] = std::move(sets);
  }
  return out;
}

void TruthInbox::put(FoundAnswerSets found) {
  std::lock_guard lock(mutex_);
  found_.push_back(std::move(found));
}

std::vector<FoundAnswerSets> TruthInbox::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(found_, {});
}

std::shared_ptr<SweepTruth> find_sweep_truth(TruthOptions options, const std::vector<Question>& questions,
                                             std::shared_ptr<TruthInbox> inbox) {
  options.questions.clear();
  for (const auto& q : questions) options.questions.emplace_back(q.qname, q.qtype);
  auto truth = std::make_shared<SweepTruth>();
  load_trust_anchor(truth->validator, options.trust_anchor);
  TruthFound found;
  if (inbox)
    found = [&](std::size_t place, const Truth& t) {
      if (place < questions.size()) inbox->put(FoundAnswerSets{place, questions[place], truth_answer_sets(t)});
    };
  truth->truths = truths_by_question(find_truths(options, truth->validator, found));
  return truth;
}

}  // namespace mxsentry
