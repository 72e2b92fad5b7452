#include "coordinator/service/sweep_judging.h"

#include <map>
#include <optional>
#include <set>

#include "coordinator/judging/judge.h"
#include "coordinator/judging/second_answers.h"
#include "coordinator/judging/reverify_truths.h"
#include "coordinator/judging/resolver_asns.h"
#include "coordinator/sweep/stored_judgment.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/dns/names.h"
#include "results/sqlite_db.h"
#include "coordinator/truth/trust_anchor.h"

namespace mxsentry {

JudgedSweep judge_sweep(SweepJudging job) {
  constexpr std::size_t verdict_batch = 5000;  // a few tens of milliseconds of the write lock
  JudgedSweep out;
  try {
    SweepStore store(job.db_path);
    bool known = job.known != nullptr;
    out.truth = known ? job.known : job.found ? job.found : std::make_shared<SweepTruth>();
    dnssec::Validator& validator = out.truth->validator;
    std::map<Question, Truth>& truths = out.truth->truths;
    if (!known && !job.found) {  // after a restart: the launch's truth is gone
      job.truth.questions = store.questions(job.sweep);
      load_trust_anchor(validator, job.truth.trust_anchor);
      truths = truths_by_question(find_truths(job.truth, validator));
    }
    ResolverAsns resolver_asns = resolver_asns_of(store.resolver_asns(job.sweep));
    JudgingInputs inputs{job.config, &truths, &validator, &resolver_asns, job.asn_db, job.ioc};
    Judge judge(inputs);

    // The results are read in passes, one at a time: memory is the answer spread's counters
    // and the second answers (re-ask units: flagged answers only), not the sweep.
    // 1. Count every answer of the measurement; keep what the resolvers said when asked again
    // (by the vantage that saw the answer, or by another one in its place).
    SecondAnswers asked_again;
    // Counted already when the counts are of as many results as the store holds: by the first
    // judging (for the final one, after re-asking), or as the results came.
    // The counts are moved, never copied: for a large sweep they are the judging's largest part.
    auto measured = store.sweep(job.sweep);
    auto fits = [&](const std::optional<Judge::Counts>& c) { return c && measured && measured->results == c->observations; };
    std::optional<Judge::Counts>* counted = known && fits(out.truth->counts) ? &out.truth->counts
                                            : fits(job.counted)             ? &job.counted
                                                                            : nullptr;
    out.counted_before = counted != nullptr;
    if (counted) {
      judge.set_counts(std::move(**counted));
      counted->reset();
      store.for_each_reask_result(job.sweep, [&](StoredResult&& r) { asked_again.add(r.vantage, std::move(r.observation)); });
    } else {
      std::set<std::string> vantages;
      store.for_each_result(job.sweep, [&](StoredResult&& r) {
        if (r.reask) {
          asked_again.add(r.vantage, std::move(r.observation));
          return;
        }
        vantages.insert(r.vantage);
        judge.count(r.vantage, r.observation);
      });
      // In shard mode each resolver is asked from one vantage by design: no vantage-local.
      judge.set_vantages(job.all_mode ? vantages.size() : 1);
    }
    job.counted.reset();  // counts that did not fit

    // 2. The authoritative servers are asked again once, by the first judging, for the
    // questions answered with records the truth lacks; the second one reuses what they said.
    if (!known) {
      std::set<Question> unmatched;
      // A compact result is one of the launch truth's answer sets, so it lacks nothing that
      // truth has: only the full ones are judged here, unless the truth was found again.
      auto results = [&](const std::function<void(StoredResult&&)>& visit) {
        if (job.found) store.for_each_full_result(job.sweep, visit);
        else store.for_each_result(job.sweep, visit);
      };
      results([&](StoredResult&& r) {
        if (r.reask) return;
        Verdict first = judge.judge_one(r.vantage, r.observation);
        Question question{canonical_name(first.qname), first.qtype};
        if (first.has(Evidence::not_in_truth) && !job.reverified_questions.count(question)) unmatched.insert(question);
      });
      for (auto& key : reverify_truths(truths, unmatched, job.truth, validator)) out.truth->reverified.insert(key);
    }
    judge.set_reverified(out.truth->reverified);

    // 3. The verdicts: stored as they come (through a connection of their own, batch by
    // batch), or only the flagged ones handed back, to be asked again.
    std::optional<SweepStore> writer;
    if (job.write_verdicts) {
      writer.emplace(job.db_path);
      writer->clear_verdicts(job.sweep);
    }
    std::vector<SweepStore::Judgment> batch;
    std::vector<Verdict> rows;  // only when not compact
    std::vector<std::pair<Question, ExpectedFacts>> new_facts;
    // Each question's expected facts are those of its first verdict; a verdict that says
    // otherwise keeps the difference as an override (stored_judgment.h).
    std::map<Question, ExpectedFacts> facts;
    MatchTemplates templates;
    store.for_each_result(job.sweep, [&](StoredResult&& r) {
      if (r.reask) return;
      Verdict v = judge.judge_one(r.vantage, r.observation, asked_again);
      if (!writer) {
        if (v.flagged()) out.verdicts.push_back(std::move(v));
        return;
      }
      ++out.written;
      if (job.compact_verdicts && r.matched && is_plain_match(v)) {
        ++out.implied;
        auto [it, fresh] = templates.try_emplace(MatchKey{v.qname, v.qtype, r.matched->answer_set});
        if (fresh) it->second.verdict = std::move(v);
        ++it->second.results;
        return;
      }
      if (!job.compact_verdicts) {
        rows.push_back(std::move(v));
        if (rows.size() >= verdict_batch) writer->add_verdicts(job.sweep, rows), rows.clear();
        return;
      }
      auto [f, fresh] = facts.try_emplace(Question{canonical_name(r.observation.qname), r.observation.qtype});
      if (fresh) {
        f->second = expected_facts(v);
        new_facts.emplace_back(f->first, f->second);
      }
      batch.push_back(SweepStore::Judgment{r.unit, r.task, stored_judgment(v, r.vantage, r.observation, f->second)});
      if (batch.size() >= verdict_batch) {
        writer->add_judgments(job.sweep, batch, new_facts);
        batch.clear();
        new_facts.clear();
      }
    });
    if (writer && (!batch.empty() || !new_facts.empty())) writer->add_judgments(job.sweep, batch, new_facts);
    if (writer && !rows.empty()) writer->add_verdicts(job.sweep, rows);
    if (writer) writer->set_match_templates(job.sweep, templates);
    out.stored = writer.has_value();
    out.resolver_ases = judge.resolver_ases();
    // A first judging's counts serve the final one (after re-asking); a final one's, nothing.
    if (!job.write_verdicts) out.truth->counts = judge.take_counts();
  } catch (const SqliteWriteError& e) {
    out.error = e.what();
    out.write_failed = true;
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace mxsentry
