#include "coordinator/sweep/truth_answer_sets.h"

namespace mxsentry {

std::vector<protocol::AnswerSet> truth_answer_sets(const Truth& truth) {
  if (truth.rcode < 0) return {};
  std::vector<protocol::AnswerSet> candidates;
  for (const ServerAnswer& s : truth.servers) {
    if (s.outcome != Outcome::answer || !s.authoritative || (s.rcode != 0 && s.rcode != 3)) continue;
    candidates.push_back(protocol::AnswerSet{s.rcode, s.answers});
  }
  candidates.push_back(protocol::AnswerSet{truth.rcode, truth.answers});
  return protocol::distinct_answer_sets(candidates);
}

}  // namespace mxsentry
