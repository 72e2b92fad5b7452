#pragma once
// What a check of mail domains asks about, learnt from the authoritative servers: each
// domain's MX and NS truths, then the truths of their hosts' addresses. Shared by
// `mxsentry check` (in one process) and the coordinator's on-demand checks.

#include <map>
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

/// Blocking network I/O (the engine on its own loop). `options.questions` is ignored.
MailTargets find_mail_targets(const std::vector<std::string>& domains, const std::vector<std::uint16_t>& host_types,
                              TruthOptions options, dnssec::Validator& validator);

}  // namespace mxsentry
