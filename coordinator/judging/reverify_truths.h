#pragma once
// The truths a judging compares with, by question, and their re-verification: before a final
// verdict the authoritative servers are asked again about every question some resolver
// answered with a record they did not give (a rotation or a record one server missed is not a
// forgery). The same step for `mxsentry check` and for the sweeps.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "coordinator/truth/truth_run.h"
#include "protocol/dns/question.h"

namespace mxsentry {

/// Truths keyed by their canonical question (the first of duplicates is kept).
std::map<Question, Truth> truths_by_question(std::vector<Truth> truths);

/// Asks the authoritative servers again about every question in `questions`; records they give
/// now join the truth. Returns those records' keys (record_key), for Judge::set_reverified.
/// Blocking network I/O; `options.questions` is ignored.
std::set<std::string> reverify_truths(std::map<Question, Truth>& truths, const std::set<Question>& questions,
                                      TruthOptions options, dnssec::Validator& validator);

}  // namespace mxsentry
