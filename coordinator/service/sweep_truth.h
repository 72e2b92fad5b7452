#pragma once
// A sweep's answer sets: what the authoritative servers answer to each of its questions, in
// the form compact results are matched against (protocol/answer_sets.h).

#include <map>
#include <vector>

#include "coordinator/sweep/sweep_store.h"
#include "coordinator/truth/truth_run.h"

namespace mxsentry {

/// Pure: the answer sets of truths already found (an on-demand check has them).
AnswerSets answer_sets_of(const std::map<Question, Truth>& truths);

/// Finds the truths from the root (blocking network I/O; run it on a worker thread).
AnswerSets find_answer_sets(TruthOptions options, const std::vector<Question>& questions);

}  // namespace mxsentry
