#pragma once
// The answer sets a work unit carries for a question (compact results, DESIGN section 3),
// taken from the question's truth.

#include <vector>

#include "coordinator/truth/truth_types.h"
#include "protocol/answer_sets.h"

namespace mxsentry {

/// The distinct answer sets of a truth: every authoritative server's NOERROR or NXDOMAIN
/// answer, and the union over them (CNAME chain included), without repeats. None when the
/// truth has no answer (rcode < 0).
std::vector<protocol::AnswerSet> truth_answer_sets(const Truth& truth);

}  // namespace mxsentry
