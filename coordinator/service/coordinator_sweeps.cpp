// Sweeps as the service runs them: planned and kept in the database, restored after a restart,
// started on their schedule, their truths looked up and their judging done on worker threads.
// What happens when is the SweepLifecycle's decision.
#include <algorithm>
#include <chrono>
#include <ostream>

#include "coordinator/service/coordinator.h"
#include "coordinator/service/sweep_truth.h"
#include "coordinator/judging/reverify_truths.h"
#include "coordinator/sweep/prober_selector.h"
#include "coordinator/sweep/reask_plan.h"
#include "coordinator/sweep/sweep_plan.h"

namespace mxsentry::service {

TruthOptions Coordinator::truth_options() const {
  TruthOptions truth;
  truth.root_hints = options_.root_hints;
  truth.trust_anchor = options_.trust_anchor;
  return truth;
}

void Coordinator::look_up_truth(std::uint64_t sweep, std::vector<Question> questions) {
  SweepThreads& t = threads_[sweep];
  t.truth_inbox = std::make_shared<TruthInbox>();
  t.truth_lookup =
      std::async(std::launch::async, find_sweep_truth, truth_options(), std::move(questions), t.truth_inbox);
}

void Coordinator::restore() {
  std::map<std::uint64_t, StoredSweep> running;
  for (const auto& s : store_.sweeps())
    if (s.state == "running") running[s.id] = s;
  std::size_t restored = 0;
  for (auto it = running.begin(); it != running.end();) {
    // A sweep whose inputs cannot be read back (a damaged file) fails alone; the rest resume.
    try {
      lifecycle_.add_sweep(it->second, store_.task_space(it->first));
      ++it;
    } catch (const std::exception& e) {
      log_ << "mxsentry-coordinator: sweep " << it->first << " cannot resume: " << e.what() << std::endl;
      store_.set_sweep_state(it->first, "failed");
      it = running.erase(it);
    }
  }
  for (auto& [id, s] : running) {
    AnswerSets sets = store_.answer_sets(id);
    if (!sets.empty()) {
      lifecycle_.set_answer_sets(id, std::move(sets));
    } else {
      std::vector<Question> questions;
      for (const auto& [qname, qtype] : store_.questions(id)) questions.push_back(Question{qname, qtype});
      look_up_truth(id, std::move(questions));
      lifecycle_.await_truth(id, now_ms() + options_.truth_wait_ms);
    }
    std::vector<StoredUnit> units = store_.open_units(id);
    std::size_t open = units.size();
    std::vector<std::uint64_t> finished = lifecycle_.add_units(id, std::move(units));
    for (auto unit : finished) store_.mark_unit_done(unit);  // every result stored, the DONE lost with the old process
    restored += open - finished.size();
  }
  std::int64_t now = now_ms();
  for (const auto& [id, s] : running) lifecycle_.resume(id, store_.has_reask_units(id), now);
  if (!running.empty())
    log_ << "mxsentry-coordinator: resumed " << running.size() << " sweeps, " << restored << " open units" << std::endl;
}

Coordinator::Launched Coordinator::launch(const SweepLaunch& launch, std::int64_t now) {
  ProberSelector selector = ProberSelector::parse(launch.settings.probers);
  SweepRequest plan;
  plan.name = launch.name;
  plan.assignment = launch.assignment;
  plan.questions = launch.questions;
  plan.unit_size = options_.unit_size;
  // The opt-out list is honoured here as well as at every prober, before anything is planned.
  auto allowed = [&](const std::string& text) {
    auto endpoint = Endpoint::parse(text);
    return endpoint && !opt_out_.covers(*endpoint);
  };
  for (const auto& r : launch.resolvers)
    if (allowed(r)) plan.resolvers.push_back(r);
  std::size_t opted_out = launch.resolvers.size() - plan.resolvers.size();
  for (const auto& name : lifecycle_.ledger().probers()) {
    auto p = probers_.find(name);
    if (p == probers_.end() || !selector.matches(p->second.hello.tags)) continue;
    plan.vantages.push_back(name);
    if (!launch.local_resolvers) continue;
    for (const auto& r : p->second.hello.resolvers)
      if (allowed(r)) plan.local_resolvers[name].push_back(r);
  }
  if (plan.assignment == Assignment::all && plan.vantages.empty())
    throw std::invalid_argument(selector.required.empty() ? "no prober is connected"
                                                          : "no connected prober has the tags " + selector.to_string());
  SweepPlan planned = plan_units(plan);
  const std::size_t units = planned.units.size();
  SweepSettings settings = launch.settings;
  settings.probers = selector.to_string();
  settings.digest_key = protocol::random_digest_key();
  // Units bound to one vantage (`all` mode, local resolvers) wait for it until a deadline.
  bool bound = std::any_of(planned.units.begin(), planned.units.end(), [](const UnitPlan& u) { return u.owner.has_value(); });
  if (bound) settings.deadline_ms = now + (launch.wait_ms > 0 ? launch.wait_ms : options_.all_deadline_ms);
  std::uint64_t id = store_.create_sweep(plan.name, to_string(plan.assignment), planned, now, settings);
  if (!launch.resolver_asns.empty()) store_.set_resolver_asns(id, launch.resolver_asns);
  lifecycle_.add_sweep(*store_.sweep(id), std::make_shared<const TaskSpace>(std::move(planned.space)));
  // Its answers counted as they come, for its first judging (a resumed sweep counts them then).
  if (SweepState* state = lifecycle_.sweep(id))
    state->answers = std::make_shared<AnswerCounter>(resolver_asns_of(launch.resolver_asns), asn_db_.get());
  if (!launch.truths.empty()) {
    AnswerSets sets = answer_sets_of(launch.truths);
    store_.set_answer_sets(id, sets);
    lifecycle_.set_answer_sets(id, std::move(sets));
  } else {
    look_up_truth(id, plan.questions);
    lifecycle_.await_truth(id, now + options_.truth_wait_ms);
  }
  lifecycle_.add_units(id, store_.open_units(id));
  log_ << "mxsentry-coordinator: sweep " << id << " (" << plan.name << ", " << to_string(plan.assignment) << ") started: "
       << units << " units, " << plan.vantages.size() << " vantages";
  if (opted_out > 0) log_ << ", " << opted_out << " resolvers skipped: they opted out";
  log_ << std::endl;
  dispatch_all(now);
  return Launched{id, plan.vantages};
}

/// Scheduled sweeps: a definition with an interval starts when due. Right after a start the
/// probers are given a few heartbeats to come back, and a start that fails (a bad file, no
/// prober) is tried again a minute later, not every tick.
void Coordinator::run_schedule(std::int64_t now) {
  if (now - started_ms_ < options_.ledger.heartbeat_ms * options_.ledger.missed_heartbeats) return;
  for (const auto& d : options_.sweeps) {
    ScheduleState& state = schedule_[d.name];
    if (!start_attempt_due(d.interval_ms, state, lifecycle_.running(d.name), now)) continue;
    state.last_attempt_ms = now;
    try {
      launch(launch_of_definition(d), now);
      state.last_started_ms = now;
    } catch (const std::exception& e) {
      log_ << "mxsentry-coordinator: scheduled sweep " << d.name << " not started: " << e.what() << std::endl;
    }
  }
}

void Coordinator::collect_truth_lookups() {
  bool collected = false;
  for (auto& [id, t] : threads_) {
    // Each question's truth as it comes: the units asking only those stop waiting.
    if (t.truth_lookup && t.truth_inbox)
      for (auto& found : t.truth_inbox->take()) {
        lifecycle_.add_answer_sets(id, found.place, found.question, std::move(found.sets));
        collected = true;
      }
    if (t.truth_lookup && t.truth_lookup->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      collected = true;
      try {
        t.found = t.truth_lookup->get();
        AnswerSets sets = answer_sets_of(t.found->truths);
        store_.set_answer_sets(id, sets);
        std::size_t questions = sets.size();
        lifecycle_.set_answer_sets(id, std::move(sets));
        log_ << "mxsentry-coordinator: sweep " << id << ": the truth holds answers for " << questions
             << " questions; matching answers come back compact" << std::endl;
      } catch (const std::exception& e) {
        lifecycle_.truth_failed(id);
        log_ << "mxsentry-coordinator: sweep " << id << ": no truth yet (" << e.what()
             << "); every answer comes back in full" << std::endl;
      }
      t.truth_lookup.reset();
      t.truth_inbox.reset();
    }
  }
  if (collected) dispatch_all(now_ms());  // the units that waited for the truth
}

/// The questions a sweep's full answers marked (early_reverify.h), asked again of the
/// authoritative servers while it runs: one batch at a time on a worker thread, on the launch's
/// truth once it is in, none after its judging was ordered (the judging takes a batch running).
void Coordinator::reverify_early() {
  for (auto& [id, t] : threads_) {
    if (t.reverifying && t.reverifying->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      try {
        for (auto& key : t.reverifying->get()) t.found->reverified.insert(key);
      } catch (const std::exception& e) {  // the judging re-verifies them
        log_ << "mxsentry-coordinator: sweep " << id << ": re-verifying failed (" << e.what()
             << "); the judging asks again" << std::endl;
        t.reverified_questions.clear();
      }
      t.reverifying.reset();
    }
    SweepState* s = lifecycle_.sweep(id);
    if (t.reverifying || !t.found || t.judging || s == nullptr || s->judging || s->early_reverify.empty()) continue;
    std::set<Question> batch = s->early_reverify.take();
    t.reverified_questions.insert(batch.begin(), batch.end());
    t.reverifying = std::async(std::launch::async, [found = t.found, batch = std::move(batch), options = truth_options()] {
      return reverify_truths(found->truths, batch, options, found->validator);
    });
  }
}

void Coordinator::collect_judgings(std::int64_t now) {
  for (auto it = threads_.begin(); it != threads_.end();) {
    SweepThreads& t = it->second;
    if (!t.judging || t.judging->wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      ++it;
      continue;
    }
    JudgedSweep judged = t.judging->get();
    t.judging.reset();
    if (!finish_sweep(it->first, std::move(judged), now)) {  // asked again first, or judged again to be stored
      ++it;
      continue;
    }
    lifecycle_.end(it->first);
    // A future from std::async blocks when destroyed: a lookup still running is kept aside.
    if (t.truth_lookup) retired_lookups_.push_back(std::move(*t.truth_lookup));
    it = threads_.erase(it);
  }
  retry_judgings(now);
}

void Coordinator::retry_judgings(std::int64_t now) {
  for (auto& [id, t] : threads_) {
    if (t.judging || !t.judging_retry.due(now)) continue;
    const SweepState* s = lifecycle_.sweep(id);
    if (s == nullptr || !s->judging) continue;  // not waiting for a judging any more
    start_judging(id, t.judging_final);
  }
}

void Coordinator::judge_again_later(std::uint64_t sweep, const std::string& error, std::int64_t now) {
  SweepThreads& t = threads_[sweep];
  t.judging_error = error;
  // The sweep stays judging (in the lifecycle too: nothing orders another judging meanwhile).
  if (t.judging_retry.failed(now))
    log_ << "mxsentry-coordinator: sweep " << sweep << ": verdicts not written yet (" << error << "); judged again in "
         << t.judging_retry.delay_ms() / 1000 << " s, then at most every " << t.judging_retry.max_ms / 1000
         << " s until the database takes them" << std::endl;
}

void Coordinator::start_judging(const JudgeOrder& order) {
  // A first judging whose flagged answers may be asked again stores nothing yet.
  start_judging(order.sweep, !(config_.reask_delay_ms > 0 && lifecycle_.may_reask(order.sweep)));
}

void Coordinator::start_judging(std::uint64_t sweep, bool final) {
  const SweepState* s = lifecycle_.sweep(sweep);
  if (s == nullptr) return;
  SweepThreads& t = threads_[sweep];
  SweepJudging job;
  job.db_path = options_.db_path;
  job.sweep = sweep;
  job.all_mode = s->info.assignment == "all";
  job.truth = truth_options();
  job.config = &config_;
  job.asn_db = asn_db_.get();
  job.ioc = ioc_.get();
  job.known = t.truth;  // a later judging reuses the first one's truths
  // A first judging takes the answers counted as they came (a later one, the first's counts):
  // moved, not copied, as nothing is counted after it (re-ask results are second answers).
  if (SweepState* counting = lifecycle_.sweep(sweep); counting && counting->answers) {
    if (!(t.truth && t.truth->counts)) job.counted = counting->answers->take_counts(job.all_mode);
    counting->answers.reset();
  }
  job.found = t.found;  // a first one, the launch's
  job.reverified_questions = t.reverified_questions;
  job.write_verdicts = final;
  // A re-verification still running on the launch's truth is the judging's to wait for.
  std::future<std::set<std::string>> early;
  if (t.reverifying) early = std::move(*t.reverifying);
  t.reverifying.reset();
  // The judging reads the sweep's results: every one handed to the writer first.
  t.judging_final = final;
  t.judging = std::async(std::launch::async, [writer = writer_.get(), job = std::move(job), early = std::move(early)]() mutable {
    if (early.valid()) {
      try {
        for (auto& key : early.get()) job.found->reverified.insert(key);
      } catch (const std::exception&) {
        job.reverified_questions.clear();  // asked again below
      }
    }
    if (writer->flush()) return judge_sweep(job);
    JudgedSweep stopped;
    stopped.error = "the coordinator stopped before its results were written";
    return stopped;
  });
}

/// After a final judging (verdicts stored) the sweep ends. After a first one, its flagged
/// answers are asked again, or, when none can be, it is judged again to store its verdicts.
/// Returns true when the sweep has ended.
bool Coordinator::finish_sweep(std::uint64_t sweep, JudgedSweep judged, std::int64_t now) {
  if (judged.write_failed) {  // a full disk: the judging (which rewrites every verdict) runs again
    judge_again_later(sweep, judged.error, now);
    return false;
  }
  const SweepState* s = lifecycle_.sweep(sweep);
  std::string state = s == nullptr ? "complete" : s->final_state;
  if (judged.error.empty() && judged.stored) {
    try {
      store_.set_sweep_state(sweep, state);
    } catch (const SqliteWriteError& e) {  // its verdicts are written again with it
      judge_again_later(sweep, e.what(), now);
      return false;
    }
  }
  SweepThreads& t = threads_[sweep];
  if (std::uint32_t failures = t.judging_retry.succeeded(); failures > 0) {
    log_ << "mxsentry-coordinator: sweep " << sweep << ": the database takes its verdicts again, after " << failures
         << " refused judgings" << std::endl;
    t.judging_error.clear();
  }
  lifecycle_.judging_ended(sweep);
  if (!judged.error.empty()) {
    log_ << "mxsentry-coordinator: sweep " << sweep << ": not judged: " << judged.error << std::endl;
    store_.set_sweep_state(sweep, "failed");
    return true;
  }
  t.truth = std::move(judged.truth);
  if (!judged.stored) {
    if (!start_reask(sweep, judged.verdicts, now)) start_judging(sweep, true);
    return false;
  }
  log_ << "mxsentry-coordinator: sweep " << sweep << " " << state << " with " << judged.written << " verdicts ("
       << judged.implied << " plain matches kept by answer set, " << judged.resolver_ases.size()
       << " resolver ASes known" << (judged.counted_before ? ", no counting pass" : "") << ")"
       << std::endl;
  return true;
}

/// Every flagged answer asked again by the vantage that saw it (a cache counts a forged TTL
/// down, an injector answers fresh), or, that vantage gone, by any prober of the sweep when the
/// resolver is open. Returns false when nothing is to be asked again.
bool Coordinator::start_reask(std::uint64_t sweep, const std::vector<Verdict>& verdicts, std::int64_t now) {
  const WorkLedger& ledger = lifecycle_.ledger();
  std::vector<UnitPlan> units = plan_reask(
      verdicts, [&](const std::string& vantage) { return ledger.alive(vantage); },
      [&](const std::string& vantage, const Endpoint& resolver) {
        return lifecycle_.may_ask_elsewhere(sweep, vantage, resolver);
      },
      options_.unit_size);
  if (units.empty()) return false;
  const auto elsewhere = std::count_if(units.begin(), units.end(), [](const UnitPlan& u) { return !u.owner; });
  store_.add_reask_units(sweep, units);
  lifecycle_.enter_reask(sweep, store_.open_units(sweep), now + config_.reask_delay_ms);
  const SweepState* s = lifecycle_.sweep(sweep);
  log_ << "mxsentry-coordinator: sweep " << sweep << ": " << (s ? s->open_units.size() : 0)
       << " units ask flagged answers again in " << config_.reask_delay_ms << " ms";
  if (elsewhere > 0) log_ << " (" << elsewhere << " of gone vantages' answers, by any prober of the sweep)";
  log_ << std::endl;
  return true;
}

}  // namespace mxsentry::service
