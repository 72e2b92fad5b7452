#include "coordinator/sweep/result_intake.h"

#include <optional>
#include <stdexcept>

#include "protocol/answer_sets.h"
#include "protocol/dns/names.h"

namespace mxsentry {

namespace {

/// Whether a compact result names an answer set of its task's question and gives one TTL per
/// record of it: what rebuilding it when read needs. It is not rebuilt here: the writer keeps
/// it in its compact form, and a queue of rebuilt observations would cost ~10 times the memory.
/// Returns that answer set, or null when the result does not fit one.
const protocol::AnswerSet* fits_answer_set(const SweepLifecycle& lifecycle, const OpenUnit& unit,
                                           const protocol::MatchedResult& m) {
  const SweepState* sweep = lifecycle.sweep(unit.sweep);
  if (sweep == nullptr || !unit.resolver(m.task_index)) return nullptr;
  auto sets = sweep->answer_sets.find(Question{unit.qname(m.task_index), unit.qtype(m.task_index)});
  if (sets == sweep->answer_sets.end() || m.answer_set >= sets->second.size()) return nullptr;
  const protocol::AnswerSet& set = sets->second[m.answer_set];
  return m.ttls.size() == set.records.size() ? &set : nullptr;
}

}  // namespace

bool accept_result(WorkLedger& ledger, const std::string& prober, std::uint64_t unit, Observation o,
                   std::int64_t now, std::vector<StoredResult>& fresh, std::optional<protocol::MatchedResult> matched) {
  auto task = static_cast<std::uint32_t>(o.task_index);
  if (ledger.record_result(prober, unit, task, now) != ResultFate::counted) return false;
  fresh.push_back(StoredResult{unit, task, prober, std::move(o), false, std::move(matched)});
  return true;
}

ResultIntake take_results(SweepLifecycle& lifecycle, const std::string& prober, protocol::Results& results,
                          std::int64_t now) {
  ResultIntake in;
  // Observations that did not decode were dropped one by one; their tasks are asked again.
  if (results.rejected > 0) in.refused.push_back("RESULTS: " + std::to_string(results.rejected) + " results did not decode");
  const OpenUnit* unit = lifecycle.unit(results.unit);
  for (auto& o : results.observations) {
    if (unit == nullptr || o.task_index >= unit->size()) {
      ++in.late_or_unknown;
      continue;
    }
    const auto index = static_cast<std::uint32_t>(o.task_index);
    const auto& resolver = unit->resolver(index);
    if (canonical_name(o.qname) != unit->qname(index) || o.qtype != unit->qtype(index) || !resolver ||
        !(o.resolver == *resolver)) {
      in.refused.push_back("RESULTS: observation does not answer its task");
      continue;
    }
    Question question{unit->qname(index), unit->qtype(index)};
    SweepState* sweep = lifecycle.sweep(unit->sweep);
    bool beyond = false;
    if (sweep != nullptr)
      if (auto sets = sweep->answer_sets.find(question); sets != sweep->answer_sets.end())
        beyond = answers_beyond_truth(o, sets->second);
    if (!accept_result(lifecycle.ledger(), prober, results.unit, std::move(o), now, in.fresh)) {
      ++in.late_or_unknown;
    } else {
      if (beyond) sweep->early_reverify.mark(question);
      if (sweep != nullptr && sweep->answers && !unit->reask) sweep->answers->count(prober, in.fresh.back().observation);
    }
    ++in.full;
  }
  for (auto& m : results.matched) {
    if (unit == nullptr || m.task_index >= unit->size()) {
      ++in.late_or_unknown;
      continue;
    }
    const protocol::AnswerSet* set = fits_answer_set(lifecycle, *unit, m);
    if (set == nullptr) {
      in.refused.push_back("RESULTS: a compact result that matches no answer set of its task");
      continue;
    }
    Observation stands_in;  // only what the ledger and the writer read; the rest stays compact
    stands_in.task_index = m.task_index;
    const auto index = static_cast<std::uint32_t>(m.task_index);
    if (!accept_result(lifecycle.ledger(), prober, results.unit, std::move(stands_in), now, in.fresh, std::move(m))) {
      ++in.late_or_unknown;
    } else if (SweepState* sweep = lifecycle.sweep(unit->sweep); sweep && sweep->answers && !unit->reask) {
      // Counted as the records of the answer set it fits.
      sweep->answers->count(prober, *unit->resolver(index), unit->qname(index), unit->qtype(index), true, set->records);
    }
    ++in.compact;
  }
  return in;
}

}  // namespace mxsentry
