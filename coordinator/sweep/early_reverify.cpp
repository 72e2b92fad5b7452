#include "coordinator/sweep/early_reverify.h"

#include <algorithm>
#include <utility>

#include "protocol/dns/names.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_rrsig = 46;

bool same_record(const ResourceRecord& a, const ResourceRecord& b) {
  return a.type == b.type && a.rdata == b.rdata && canonical_name(a.name) == canonical_name(b.name);
}

}  // namespace

bool answers_beyond_truth(const Observation& o, const std::vector<protocol::AnswerSet>& sets) {
  if (o.outcome != Outcome::answer || o.rcode != 0) return false;
  for (const auto& record : o.answers) {
    if (record.type == type_rrsig) continue;
    bool known = std::any_of(sets.begin(), sets.end(), [&](const protocol::AnswerSet& set) {
      return std::any_of(set.records.begin(), set.records.end(),
                         [&](const ResourceRecord& r) { return same_record(r, record); });
    });
    if (!known) return true;
  }
  return false;
}

void EarlyReverify::mark(const Question& question) {
  if (!handed_.count(question)) marked_.insert(question);
}

std::set<Question> EarlyReverify::take() {
  handed_.insert(marked_.begin(), marked_.end());
  return std::exchange(marked_, {});
}

}  // namespace mxsentry
