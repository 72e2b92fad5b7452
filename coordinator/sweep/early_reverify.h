#pragma once
// Re-verifying while a sweep runs (pure). The first judging asks the authoritative servers
// again about every question some resolver answered with a record the truth lacks; done after
// the last unit, that costs the judging as long as the truth lookup (the servers are asked at
// their gentle rate). So a question is marked as soon as a full answer with such a record
// comes in, and the service re-verifies it while the sweep runs; the judging then re-verifies
// only what was not marked (a superset is not needed here: the judging still finds every
// question itself, and skips those done).

#include <set>
#include <vector>

#include "prober/core/observation.h"
#include "protocol/answer_sets.h"
#include "protocol/dns/question.h"

namespace mxsentry {

/// Whether an answer (NOERROR) holds a record that is in none of the truth's answer sets
/// (owner case and TTLs aside; RRSIGs aside: they are checked against the keys, not the sets).
bool answers_beyond_truth(const Observation& observation, const std::vector<protocol::AnswerSet>& sets);

/// The questions marked and not yet handed to a re-verification, and those handed.
class EarlyReverify {
 public:
  /// Marks a question (once: one handed out already is not marked again).
  void mark(const Question& question);
  /// The marked questions, now handed out.
  std::set<Question> take();
  bool empty() const { return marked_.empty(); }
  /// Every question handed out so far.
  const std::set<Question>& handed() const { return handed_; }

 private:
  std::set<Question> marked_;
  std::set<Question> handed_;
};

}  // namespace mxsentry
