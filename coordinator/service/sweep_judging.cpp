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
    bool known = job.known != nullptr;
    out.truth = known ? job.known : std::make_shared<SweepTruth>();
    dnssec::Validator& validator = out.truth->validator;
    std::map<Question, Truth>& truths = out.truth->truths;
    if (!known) {
      job.truth.questions = store.questions(job.sweep);
      if (!job.truth.trust_anchor.empty()) validator.load_trust_anchor_file(job.truth.trust_anchor);
      truths = truths_by_question(find_truths(job.truth, validator));
    }
    std::vector<StoredResult> all = store.results(job.sweep);
    // The measurement, and the flagged answers asked again (re-ask units) by the same vantage.
    std::vector<StoredResult> results;
    std::map<std::string, const Observation*> asked_again;
    auto key_of = [](const std::string& vantage, const Observation& o) {
      return vantage + " " + o.resolver.to_string() + " " + canonical_name(o.qname) + " " + std::to_string(o.qtype);
    };
    for (const auto& r : all)
      if (r.reask) asked_again[key_of(r.vantage, r.observation)] = &r.observation;
    for (const auto& r : all)
      if (!r.reask) results.push_back(r);
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
    if (!known) {
      std::set<Question> unmatched;
      for (const auto& r : results) {
        Verdict first = judge.judge(r.vantage, r.observation);
        if (first.has(Evidence::not_in_truth)) unmatched.insert(Question{canonical_name(first.qname), first.qtype});
      }
      out.truth->reverified = reverify_truths(truths, unmatched, job.truth, validator);
    }
    judge.reverified() = out.truth->reverified;
    out.verdicts.reserve(results.size());
    for (const auto& r : results) {
      std::vector<Evidence> later;
      if (auto again = asked_again.find(key_of(r.vantage, r.observation)); again != asked_again.end()) {
        double elapsed_s = static_cast<double>(again->second->time_ms - r.observation.time_ms) / 1000.0;
        later = reask_evidence(r.observation, *again->second, judge.truth_of(r.observation), elapsed_s, *job.config);
      }
      out.verdicts.push_back(judge.judge(r.vantage, r.observation, later));
    }
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace mxsentry
