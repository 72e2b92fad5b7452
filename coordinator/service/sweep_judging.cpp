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
    out.verdicts.reserve(results.size());
    for (const auto& r : results) out.verdicts.push_back(judge.judge(r.vantage, r.observation));
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace mxsentry
