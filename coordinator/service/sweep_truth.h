#pragma once
// A sweep's truth, found once when it starts: its answer sets are what compact results are
// matched against (protocol/answer_sets.h), and its first judging judges against the same
// truths (re-verifying only the questions with answers the truth lacks) instead of asking
// every authoritative server again.

#include <map>
#include <vector>

#include <memory>
#include <mutex>

#include "coordinator/service/sweep_judging.h"
#include "coordinator/sweep/sweep_store.h"
#include "coordinator/truth/truth_run.h"

namespace mxsentry {

/// Pure: the answer sets of truths already found (an on-demand check has them).
AnswerSets answer_sets_of(const std::map<Question, Truth>& truths);

/// A question whose truth is in, with its place in the lookup's questions and the truth's
/// answer sets (empty: nothing to match).
struct FoundAnswerSets {
  std::size_t place = 0;
  Question question;
  std::vector<protocol::AnswerSet> sets;
};

/// What the lookup's thread has found so far, for the service's thread (thread-safe).
class TruthInbox {
 public:
  void put(FoundAnswerSets found);
  std::vector<FoundAnswerSets> take();

 private:
  std::mutex mutex_;
  std::vector<FoundAnswerSets> found_;
};

/// Finds the truths from the root (blocking network I/O; run it on a worker thread), each
/// question's answer sets into `inbox` as soon as its truth is in. Nothing is re-verified
/// yet: `reverified` is empty.
std::shared_ptr<SweepTruth> find_sweep_truth(TruthOptions options, const std::vector<Question>& questions,
                                             std::shared_ptr<TruthInbox> inbox = nullptr);

}  // namespace mxsentry
