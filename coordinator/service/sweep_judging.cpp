#include "coordinator/service/sweep_judging.h"

#include <map>
#include <set>

#include "coordinator/check/judge.h"
#include "coordinator/check/mail_targets.h"
#include "coordinator/sweep/sweep_store.h"

namespace mxsentry {

JudgedSweep judge_sweep(SweepJudging job) {
  JudgedSweep out;
  try {
    SweepStore store(job.db_path);
    job.truth.questions = store.questions(job.sweep);
    dnssec::Validator validator;
    if (!job.truth.trust_anchor.empty()) validator.load_trust_anchor_file(job.truth.trust_anchor);
    std::map<Question, Truth> truths = truths_by_question(find_truths(job.truth, validator));
    std::vector<StoredResult> results = store.results(job.sweep);
    Judge judge(*job.config, truths, validator, job.asn_db, job.ioc);
    std::set<std::string> vantages;
    for (const auto& r : results) {
      judge.count(r.vantage, r.observation, judge.resolver_asn(r.observation.resolver, 0));
      vantages.insert(r.vantage);
    }
    // In shard mode each resolver is asked from one vantage by design: no vantage-local.
    judge.set_vantages(job.all_mode ? vantages.size() : 1);
    // Before a final verdict, as in a local check: the authoritative servers are asked again
    // about every question some resolver answered with a record they did not give.
    std::set<Question> unmatched;
    for (const auto& r : results) {
      Verdict first = judge.judge(r.vantage, r.observation);
      if (first.has(Evidence::not_in_truth)) unmatched.insert(Question{canonical_name(first.qname), first.qtype});
    }
    judge.reverified() = reverify_truths(truths, unmatched, job.truth, validator);
    out.verdicts.reserve(results.size());
    for (const auto& r : results) out.verdicts.push_back(judge.judge(r.vantage, r.observation));
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace mxsentry
