#pragma once
// A sweep's truth, found once when it starts: its answer sets are what compact results are
// matched against (protocol/answer_sets.h), and its first judging judges against the same
// truths (re-verifying only the questions with answers the truth lacks) instead of asking
// every authoritative server again.

#include <map>
#include <vector>

#include <memory>

#include "coordinator/service/sweep_judging.h"
#include "coordinator/sweep/sweep_store.h"
#include "coordinator/truth/truth_run.h"

namespace mxsentry {

/// Pure: the answer sets of truths already found (an on-demand check has them).
AnswerSets answer_sets_of(const std::map<Question, Truth>& truths);

/// Finds the truths from the root (blocking network I/O; run it on a worker thread). Nothing
/// is re-verified yet: `reverified` is empty.
std::shared_ptr<SweepTruth> find_sweep_truth(TruthOptions options, const std::vector<Question>& questions);

}  // namespace mxsentry
