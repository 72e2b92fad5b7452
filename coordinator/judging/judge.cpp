#include "coordinator/judging/judge.h"

#include "coordinator/judging/signature_check.h"
#include "protocol/dns/names.h"

namespace mxsentry {

Judge::Judge(const JudgingInputs& inputs, std::size_t vantages) : inputs_(inputs) {
  context_.config = inputs_.config;
  context_.distribution = &distribution_;
  context_.ioc = inputs_.ioc;
  context_.reverified = &reverified_;
  context_.vantages_total = vantages;
  if (const AsnDatabase* db = inputs_.asn_db) {
    context_.asns_of = [db](const Endpoint& address) {
      auto info = db->lookup(address);
      return info ? info->asns : std::vector<std::uint32_t>{};
    };
  }
  // At the time of the observation, not of the judging: a signature that expired since the
  // resolver answered was valid when it did, and does not make the answer look forged.
  const dnssec::Validator* validator = inputs_.validator;
  context_.check_signatures = [validator](const Observation& o, const Truth& t) {
    return check_answer_signatures(*validator, o, t, signature_time(o));
  };
  no_truth_.error = "no truth was looked up for this question";
}

void Judge::add(const std::string& vantage, const Observation& observation) {
  count(vantage, observation);
  added_.push_back(Added{vantage, &observation, {}, std::nullopt});
}

void Judge::count(const std::string& vantage, const Observation& observation) {
  std::uint32_t asn = resolver_asn(observation.resolver);
  if (asn != 0) resolver_ases_.insert(asn);
  distribution_.add(vantage, observation, asn);
  ++counted_;
}

Judge::Counts Judge::take_counts() {
  Counts out{std::move(distribution_), std::move(resolver_ases_), context_.vantages_total, counted_};
  distribution_ = AnswerDistribution{};
  resolver_ases_.clear();
  counted_ = 0;
  return out;
}

void Judge::set_counts(Counts counts) {
  distribution_ = std::move(counts.distribution);  // context_ points at it already
  resolver_ases_ = std::move(counts.resolver_ases);
  context_.vantages_total = counts.vantages;
  counted_ = counts.observations;
}

Verdict Judge::judge_one(const std::string& vantage, const Observation& observation, const Observation* again,
                         const std::string& again_from) const {
  const bool elsewhere = again != nullptr && !again_from.empty() && again_from != vantage;
  std::vector<Evidence> later;
  if (again != nullptr) later = second_answer_evidence(observation, *again, elsewhere);
  Verdict v = analyse(vantage, observation, truth_of(observation), context_, later);
  if (v.has(Evidence::reasked_elsewhere)) v.reasked_by = again_from;
  return v;
}

Verdict Judge::judge_one(const std::string& vantage, const Observation& observation,
                         const SecondAnswers& again) const {
  SecondAnswer second = again.find(vantage, observation);
  if (second.observation == nullptr) return judge_one(vantage, observation);
  if (second.vantage == vantage) return judge_one(vantage, observation, second.observation);
  Verdict alone = judge_one(vantage, observation);
  if (!alone.flagged()) return alone;  // asked again for another vantage's flagged answer
  return judge_one(vantage, observation, second.observation, second.vantage);
}

std::vector<Evidence> Judge::second_answer_evidence(const Observation& first, const Observation& again,
                                                    bool elsewhere) const {
  // Two probers' clocks when asked elsewhere: a skew counts as time passed (docs/detection.md).
  double elapsed_s = static_cast<double>(again.time_ms - first.time_ms) / 1000.0;
  if (elsewhere) return reask_elsewhere_evidence(first, again, truth_of(first), elapsed_s, *inputs_.config);
  return reask_evidence(first, again, truth_of(first), elapsed_s, *inputs_.config);
}

std::uint32_t Judge::resolver_asn(const Endpoint& resolver) const {
  if (inputs_.resolver_asns && inputs_.resolver_asns->count(resolver)) return inputs_.resolver_asns->at(resolver);
  if (!inputs_.asn_db) return 0;
  auto [known, fresh] = looked_up_asns_.try_emplace(resolver, 0);
  if (fresh) known->second = mxsentry::resolver_asn(nullptr, inputs_.asn_db, resolver);
  return known->second;
}

AnswerDistribution::Spread Judge::spread(const Question& question, const ResourceRecord& record) const {
  return distribution_.spread(question.qname, question.qtype, record_key(record));
}

std::set<Question> Judge::unmatched_questions() const {
  std::set<Question> out;
  for (const auto& a : added_) {
    Verdict first = judge(a);
    a.flagged = first.flagged();
    if (first.has(Evidence::not_in_truth)) out.insert(Question{canonical_name(first.qname), first.qtype});
  }
  return out;
}

void Judge::set_reverified(std::set<std::string> records) {
  reverified_ = std::move(records);
  // Only an observation with a record the authoritative servers now vouch for can change.
  for (auto& a : added_)
    for (const auto& record : a.observation->answers)
      if (reverified_.count(record_key(record))) {
        a.flagged.reset();
        break;
      }
}

bool Judge::flagged(const Added& a) const {
  if (!a.flagged) a.flagged = judge(a).flagged();
  return *a.flagged;
}

std::vector<std::size_t> Judge::flagged() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < added_.size(); ++i)
    if (flagged(added_[i])) out.push_back(i);
  return out;
}

void Judge::add_second_answer(std::size_t index, const Observation& again) {
  Added& a = added_.at(index);
  a.later = second_answer_evidence(*a.observation, again);
  a.flagged.reset();
}

std::vector<Verdict> Judge::verdicts() const {
  std::vector<Verdict> out;
  out.reserve(added_.size());
  for (const auto& a : added_) out.push_back(judge(a));
  return out;
}

const Truth& Judge::truth_of(const Observation& o) const {
  auto it = inputs_.truths->find(Question{canonical_name(o.qname), o.qtype});
  return it == inputs_.truths->end() ? no_truth_ : it->second;
}

Verdict Judge::judge(const Added& a) const {
  return analyse(a.vantage, *a.observation, truth_of(*a.observation), context_, a.later);
}

}  // namespace mxsentry
