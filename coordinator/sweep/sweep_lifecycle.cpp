#include "coordinator/sweep/sweep_lifecycle.h"

#include <algorithm>
#include <utility>

#include "protocol/answer_sets.h"

namespace mxsentry {

SweepLifecycle::SweepLifecycle(LedgerConfig ledger, std::size_t max_answer_sets)
    : ledger_(ledger), ledger_config_(ledger), max_answer_sets_(max_answer_sets) {}

SweepState& SweepLifecycle::add_sweep(const StoredSweep& info, std::shared_ptr<const TaskSpace> space) {
  SweepState& s = sweeps_[info.id];
  s.info = info;
  s.space = std::move(space);
  s.probers = ProberSelector::parse(info.settings.probers);
  return s;
}

void SweepLifecycle::set_answer_sets(std::uint64_t sweep, AnswerSets sets) {
  auto it = sweeps_.find(sweep);
  if (it == sweeps_.end()) return;
  SweepState& s = it->second;
  s.truth_wait_until_ms = 0;
  s.truth_found.clear();
  s.answer_sets.clear();
  s.digests.clear();
  for (auto& [question, list] : sets) keep_answer_sets(s, question, std::move(list));
}

void SweepLifecycle::add_answer_sets(std::uint64_t sweep, std::size_t place, const Question& question,
                                     std::vector<protocol::AnswerSet> sets) {
  SweepState* s = this->sweep(sweep);
  if (s == nullptr) return;
  if (s->space && place < s->space->questions.size() && s->space->questions[place] == question) {
    s->truth_found.resize(s->space->questions.size());
    s->truth_found[place] = 1;
  }
  if (!sets.empty()) keep_answer_sets(*s, question, std::move(sets));
}

void SweepLifecycle::keep_answer_sets(SweepState& s, const Question& question, std::vector<protocol::AnswerSet> sets) {
  auto& digests = s.digests[question];
  digests.clear();
  // More sets than a WORK may carry (many servers answering differently): that question's
  // answers come back in full rather than make every unit undecodable.
  if (sets.size() <= max_answer_sets_)
    for (const auto& set : sets)
      digests.push_back(protocol::answer_set_digest(s.info.settings.digest_key, set.rcode, set.records));
  if (digests.empty()) s.digests.erase(question);
  s.answer_sets[question] = std::move(sets);
}

bool SweepLifecycle::truths_found(const SweepState& s, const OpenUnit& unit) {
  auto span = unit.question_span();
  if (!span || span->second >= s.truth_found.size()) return false;
  for (std::uint32_t q = span->first; q <= span->second; ++q)
    if (!s.truth_found[q]) return false;
  return true;
}

std::vector<std::uint64_t> SweepLifecycle::add_units(std::uint64_t sweep, std::vector<StoredUnit> units) {
  std::vector<std::uint64_t> finished;
  auto it = sweeps_.find(sweep);
  if (it == sweeps_.end()) return finished;
  SweepState& s = it->second;
  for (auto& u : units) {
    if (units_.count(u.id)) continue;
    const bool ranged = u.range.resolver_count > 0;
    if (ranged && (!s.space || !range_fits(*s.space, u.range))) {
      notes_.push_back("sweep " + std::to_string(sweep) + ": unit " + std::to_string(u.id) +
                       " names tasks outside the sweep's inputs; given up");
      finished.push_back(u.id);
      continue;
    }
    OpenUnit unit = ranged ? OpenUnit{sweep, s.space, u.range, std::move(u.owner)}
                           : OpenUnit{sweep, std::move(u.tasks), std::move(u.owner)};
    unit.reask = u.reask;
    if (u.tasks_done.size() >= unit.size()) {  // every result kept, the DONE lost
      finished.push_back(u.id);
      continue;
    }
    ledger_.restore_unit(u.id, unit.size(), unit.owner, u.tasks_done,
                         unit_lease_ms(unit, s.info.settings, ledger_config_.lease_ms), s.info.settings.priority);
    s.open_units.insert(u.id);
    units_[u.id] = std::move(unit);
  }
  return finished;
}

void SweepLifecycle::resume(std::uint64_t sweep, bool reasking, std::int64_t now) {
  SweepState* s = this->sweep(sweep);
  if (s == nullptr) return;
  if (reasking) {
    s->reasking = true;
    s->reask_deadline_ms = now + reask_wait_ms();
  }
  if (s->open_units.empty()) begin_judging(*s, "complete");
}

SweepState* SweepLifecycle::sweep(std::uint64_t id) {
  auto it = sweeps_.find(id);
  return it == sweeps_.end() ? nullptr : &it->second;
}

const SweepState* SweepLifecycle::sweep(std::uint64_t id) const {
  auto it = sweeps_.find(id);
  return it == sweeps_.end() ? nullptr : &it->second;
}

bool SweepLifecycle::running(const std::string& name) const {
  return std::any_of(sweeps_.begin(), sweeps_.end(), [&](const auto& s) { return s.second.info.name == name; });
}

const OpenUnit* SweepLifecycle::unit(std::uint64_t id) const {
  auto it = units_.find(id);
  return it == units_.end() ? nullptr : &it->second;
}

bool SweepLifecycle::may_run(std::uint64_t unit_id, const std::map<std::string, std::string>& tags,
                             std::int64_t now) const {
  const OpenUnit* unit = this->unit(unit_id);
  if (unit == nullptr) return true;  // its sweep has ended: dropped by the dispatcher
  const SweepState* sweep = this->sweep(unit->sweep);
  // A sweep that names probers by tag runs on those only; its units wait for them.
  return sweep == nullptr || (sweep->probers.matches(tags) && sweep->reask_not_before_ms <= now &&
                              (sweep->truth_wait_until_ms <= now || truths_found(*sweep, *unit)));
}

void SweepLifecycle::await_truth(std::uint64_t sweep, std::int64_t until_ms) {
  if (SweepState* s = this->sweep(sweep)) s->truth_wait_until_ms = until_ms;
}

void SweepLifecycle::truth_failed(std::uint64_t sweep) { await_truth(sweep, 0); }

bool SweepLifecycle::unit_done(const std::string& prober, std::uint64_t unit_id, std::int64_t now) {
  if (!ledger_.finish(prober, unit_id, now)) return false;
  auto unit = units_.find(unit_id);
  if (unit == units_.end()) return false;
  std::uint64_t sweep = unit->second.sweep;
  units_.erase(unit);
  SweepState* s = this->sweep(sweep);
  if (s == nullptr) return true;
  s->open_units.erase(unit_id);
  if (s->open_units.empty()) begin_judging(*s, s->deadline_passed ? "incomplete" : "complete");
  return true;
}

void SweepLifecycle::prober_left(const std::string& prober) {
  ledger_.release(prober);
  reask_units_of_gone(prober);
}

std::vector<std::string> SweepLifecycle::expire(std::int64_t now) {
  std::vector<std::string> dead = ledger_.expire(now);
  for (const auto& name : dead) reask_units_of_gone(name);
  for (auto& [id, s] : sweeps_) {
    if (s.judging) continue;
    if (s.reasking && now >= s.reask_deadline_ms)
      give_up_open_units(s, "re-ask units");
    else if (!s.reasking && !s.deadline_passed && s.info.settings.deadline_ms > 0 && now >= s.info.settings.deadline_ms)
      give_up_bound_units(s);
  }
  return dead;
}

bool SweepLifecycle::may_reask(std::uint64_t sweep) const {
  const SweepState* s = this->sweep(sweep);
  return s != nullptr && !s->reasking && !s->deadline_passed;
}

void SweepLifecycle::enter_reask(std::uint64_t sweep, std::vector<StoredUnit> units, std::int64_t not_before) {
  SweepState* s = this->sweep(sweep);
  if (s == nullptr) return;
  s->reasking = true;
  s->reask_not_before_ms = not_before;
  // Long enough for a unit of flagged answers at the sweep's rates; a vantage gone by then
  // leaves its answers judged without the second look.
  s->reask_deadline_ms = not_before + reask_wait_ms();
  std::erase_if(units, [](const StoredUnit& u) { return !u.reask; });
  add_units(sweep, std::move(units));
  if (s->open_units.empty()) begin_judging(*s, s->final_state.empty() ? "complete" : s->final_state);
}

void SweepLifecycle::judging_ended(std::uint64_t sweep) {
  if (SweepState* s = this->sweep(sweep)) s->judging = false;
}

void SweepLifecycle::end(std::uint64_t sweep) {
  auto it = sweeps_.find(sweep);
  if (it == sweeps_.end()) return;
  for (auto unit : it->second.open_units) forget_unit(unit);
  sweeps_.erase(it);
}

std::vector<JudgeOrder> SweepLifecycle::take_judge_orders() { return std::exchange(orders_, {}); }

std::vector<std::string> SweepLifecycle::take_notes() { return std::exchange(notes_, {}); }

void SweepLifecycle::begin_judging(SweepState& s, const std::string& state) {
  if (s.judging) return;
  s.final_state = state;
  for (auto unit : s.open_units) forget_unit(unit);
  s.open_units.clear();
  s.judging = true;
  notes_.push_back("sweep " + std::to_string(s.info.id) + " " + state + "; judging it");
  orders_.push_back(JudgeOrder{s.info.id, state});
}

void SweepLifecycle::forget_unit(std::uint64_t unit) {
  units_.erase(unit);
  ledger_.drop_unit(unit);
}

void SweepLifecycle::give_up_bound_units(SweepState& s) {
  s.deadline_passed = true;
  std::size_t given_up = 0;
  for (auto it = s.open_units.begin(); it != s.open_units.end();) {
    const OpenUnit* unit = this->unit(*it);
    if (unit != nullptr && !unit->bound()) {
      ++it;
      continue;
    }
    forget_unit(*it);
    it = s.open_units.erase(it);
    ++given_up;
  }
  notes_.push_back("sweep " + std::to_string(s.info.id) + ": deadline; " + std::to_string(given_up) +
                   " units bound to a vantage given up");
  if (s.open_units.empty()) begin_judging(s, "incomplete");
}

void SweepLifecycle::give_up_open_units(SweepState& s, const char* what) {
  for (auto unit : s.open_units) forget_unit(unit);
  notes_.push_back("sweep " + std::to_string(s.info.id) + ": " + std::to_string(s.open_units.size()) + " " + what +
                   " not finished in time");
  s.open_units.clear();
  begin_judging(s, s.deadline_passed ? "incomplete" : "complete");
}

bool SweepLifecycle::stand_in_exists(const SweepState& s, const std::string& gone) const {
  for (const auto& name : ledger_.probers())
    if (name != gone && s.probers.matches(vantages_.tags(name))) return true;
  return false;
}

bool SweepLifecycle::may_ask_elsewhere(std::uint64_t sweep, const std::string& vantage, const Endpoint& resolver) const {
  const SweepState* s = this->sweep(sweep);
  return s != nullptr && vantages_.open_elsewhere(vantage, resolver) && stand_in_exists(*s, vantage);
}

void SweepLifecycle::reask_units_of_gone(const std::string& prober) {
  for (auto& [id, s] : sweeps_) {
    if (!s.reasking || s.judging) continue;
    const bool stand_in = stand_in_exists(s, prober);
    std::size_t given_up = 0, elsewhere = 0;
    for (auto it = s.open_units.begin(); it != s.open_units.end();) {
      const OpenUnit* unit = this->unit(*it);
      bool keep = false, unbind = false;
      if (unit != nullptr && unit->owner == prober) {
        unbind = stand_in;
        for (std::uint32_t t = 0; unbind && t < unit->size(); ++t) {
          const auto& resolver = unit->resolver(t);
          unbind = resolver && vantages_.open_elsewhere(prober, *resolver);
        }
      } else if (unit != nullptr) {
        keep = unit->bound() || stand_in;  // another vantage's, or one any prober of the sweep may run
      }
      if (unbind) {
        units_[*it].owner.reset();
        ledger_.unbind(*it);
        ++elsewhere;
      }
      if (keep || unbind) {
        ++it;
        continue;
      }
      forget_unit(*it);
      it = s.open_units.erase(it);
      ++given_up;
    }
    if (elsewhere > 0)
      notes_.push_back("sweep " + std::to_string(id) + ": " + std::to_string(elsewhere) + " re-ask units of " + prober +
                       " go to another vantage: it is gone");
    if (given_up == 0) continue;
    notes_.push_back("sweep " + std::to_string(id) + ": " + std::to_string(given_up) + " re-ask units of " + prober +
                     " given up: it is gone" + (stand_in ? "" : ", and no other prober may run the sweep"));
    if (s.open_units.empty()) begin_judging(s, s.final_state.empty() ? "complete" : s.final_state);
  }
}

std::int64_t SweepLifecycle::reask_wait_ms() const { return std::max<std::int64_t>(60'000, ledger_config_.lease_ms); }

}  // namespace mxsentry
