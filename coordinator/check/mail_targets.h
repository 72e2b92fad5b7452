#pragma once
// What a check of mail domains asks about, learnt from the authoritative servers: each
// domain's MX and NS truths, then the truths of their hosts' addresses. Shared by
// `mxsentry check` (in one process) and the coordinator's on-demand checks.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "coordinator/check/check_targets.h"
#include "coordinator/truth/truth_run.h"

namespace mxsentry {

struct MailTargets {
  std::vector<DomainTargets> domains;
  std::vector<Question> questions;   ///< what resolvers are asked (check_questions)
  std::map<Question, Truth> truths;  ///< the truth of every question, by question
};

/// Truths keyed by their canonical question (the first of duplicates is kept).
std::map<Question, Truth> truths_by_question(std::vector<Truth> truths);

/// Asks the authoritative servers again about every question in `questions` (those some
/// resolver answered with a record they did not give); records they give now join the truth.
/// Returns those records' keys (record_key), for the judge's `reverified-authoritative`.
std::set<std::string> reverify_truths(std::map<Question, Truth>& truths, const std::set<Question>& questions,
                                      TruthOptions options, dnssec::Validator& validator);

/// Blocking network I/O (the engine on its own loop). `options.questions` is ignored.
MailTargets find_mail_targets(const std::vector<std::string>& domains, const std::vector<std::uint16_t>& host_types,
                              TruthOptions options, dnssec::Validator& validator);

}  // namespace mxsentry
