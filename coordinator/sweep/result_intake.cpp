#include "coordinator/sweep/result_intake.h"

#include <optional>
#include <stdexcept>

#include "protocol/answer_sets.h"
#include "protocol/dns/names.h"

namespace mxsentry {

namespace {

/// A compact result in full again, from the answer set it names; nothing when it names none.
std::optional<Observation> rebuild(const SweepLifecycle& lifecycle, const OpenUnit& unit,
                                   const protocol::MatchedResult& m) {
  const SweepState* sweep = lifecycle.sweep(unit.sweep);
  if (sweep == nullptr) return std::nullopt;
  const protocol::WorkTask task = unit.task(m.task_index);
  auto sets = sweep->answer_sets.find(Question{task.qname, task.qtype});
  const auto& resolver = unit.resolver(m.task_index);
  if (sets == sweep->answer_sets.end() || m.answer_set >= sets->second.size() || !resolver) return std::nullopt;
  try {
    return protocol::rebuild_observation(m, task, *resolver, sets->second[m.answer_set], sweep->info.settings.digest_key);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
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
    if (!accept_result(lifecycle.ledger(), prober, results.unit, std::move(o), now, in.fresh)) ++in.late_or_unknown;
    ++in.full;
  }
  for (auto& m : results.matched) {
    if (unit == nullptr || m.task_index >= unit->size()) {
      ++in.late_or_unknown;
      continue;
    }
    auto rebuilt = rebuild(lifecycle, *unit, m);
    if (!rebuilt) {
      in.refused.push_back("RESULTS: a compact result that matches no answer set of its task");
      continue;
    }
    // Rebuilt to check that it answers its task; kept in the compact form it came in.
    if (!accept_result(lifecycle.ledger(), prober, results.unit, std::move(*rebuilt), now, in.fresh, std::move(m)))
      ++in.late_or_unknown;
    ++in.compact;
  }
  return in;
}

}  // namespace mxsentry
