#include "coordinator/service/sweep_judging.h"

#include <map>
#include <set>

#include "coordinator/judging/judge.h"
#include "coordinator/judging/reverify_truths.h"
#include "coordinator/judging/resolver_asns.h"
#include "coordinator/sweep/sweep_store.h"
#include "coordinator/truth/trust_anchor.h"

namespace mxsentry {

namespace {

std::string reask_key(const std::string& vantage, const Observation& o) {
  return vantage + " " + o.resolver.to_string() + " " + canonical_name(o.qname) + " " + std::to_string(o.qtype);
}

}  // namespace

JudgedSweep judge_sweep(SweepJudging job) {
  JudgedSweep out;
  try {
    SweepStore store(job.db_path);
    bool known = job.known != nullptr;
    out.truth = known ? job.known : std::make_shared<SweepTruth>();
    dnssec::Validator& validator = out.truth->validator;
    std::map<Question, Truth>& truths = out.truth->truths;
    if (!known) {
      job.truth.questions = store.questions(job.sweep);
      load_trust_anchor(validator, job.truth.trust_anchor);
      truths = truths_by_question(find_truths(job.truth, validator));
    }
    // The measurement, and the flagged answers asked again (re-ask units) by the same vantage.
    std::vector<StoredResult> all = store.results(job.sweep);
    std::map<std::string, const Observation*> asked_again;
    std::set<std::string> vantages;
    for (const auto& r : all) {
      if (r.reask) asked_again[reask_key(r.vantage, r.observation)] = &r.observation;
      else vantages.insert(r.vantage);
    }
    ResolverAsns resolver_asns = resolver_asns_of(store.resolver_asns(job.sweep));
    JudgingInputs inputs{job.config, &truths, &validator, &resolver_asns, job.asn_db, job.ioc};
    // In shard mode each resolver is asked from one vantage by design: no vantage-local.
    Judge judge(inputs, job.all_mode ? vantages.size() : 1);
    for (const auto& r : all)
      if (!r.reask) judge.add(r.vantage, r.observation);
    // The authoritative servers are asked again once, by the first judging; the second one
    // (after re-asking) reuses what they said.
    if (!known) out.truth->reverified = reverify_truths(truths, judge.unmatched_questions(), job.truth, validator);
    judge.set_reverified(out.truth->reverified);
    std::size_t index = 0;
    for (const auto& r : all) {
      if (r.reask) continue;
      if (auto again = asked_again.find(reask_key(r.vantage, r.observation)); again != asked_again.end())
        judge.add_second_answer(index, *again->second);
      ++index;
    }
    out.verdicts = judge.verdicts();
    out.resolver_ases = judge.resolver_ases();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string write_verdicts(std::string db_path, std::uint64_t sweep, std::vector<Verdict> verdicts) {
  constexpr std::size_t batch = 5000;  // a few tens of milliseconds of the write lock
  try {
    SweepStore store(db_path);
    store.set_verdicts(sweep, verdicts, batch);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace mxsentry
