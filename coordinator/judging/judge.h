#pragma once
// The one judging pipeline of `mxsentry check` and of the coordinator's sweeps: the analysis
// (coordinator/analysis/) wired to one run's data, in the steps both take. Every observation is
// added (and counted in the answer spread), the questions with unmatched answers go back to the
// authoritative servers, what they give now is set as re-verified, the answers still flagged
// are asked again, and the second answers complete the final verdicts. Pure: the callers do
// the asking (network I/O) between the steps.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "coordinator/analysis/analyse.h"
#include "coordinator/judging/resolver_asns.h"
#include "coordinator/judging/second_answers.h"
#include "coordinator/truth/dnssec_validator.h"
#include "protocol/dns/question.h"
#include "targets/asn_database.h"
#include "targets/prefix_list.h"

namespace mxsentry {

/// What every judging takes besides the observations. Borrowed: it must outlive the Judge.
struct JudgingInputs {
  const AnalysisConfig* config = nullptr;
  std::map<Question, Truth>* truths = nullptr;    ///< by canonical question (truths_by_question)
  const dnssec::Validator* validator = nullptr;   ///< holds the zones' validated keys
  const ResolverAsns* resolver_asns = nullptr;    ///< the resolvers' tagged ASes; may be null
  const AsnDatabase* asn_db = nullptr;            ///< may be null
  const PrefixList* ioc = nullptr;                ///< may be null
};

class Judge {
 public:
  /// `vantages` is how many vantages asked the same resolvers (vantage-local needs two or more).
  explicit Judge(const JudgingInputs& inputs, std::size_t vantages = 1);
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  /// Adds an observation made from `vantage` (the observation is borrowed); add all before judging any.
  void add(const std::string& vantage, const Observation& observation);

  /// The questions some resolver answered with a record the truth lacks (to re-verify).
  std::set<Question> unmatched_questions() const;
  /// Records the authoritative servers gave only when asked again (reverified-authoritative).
  void set_reverified(std::set<std::string> records);
  /// The observations flagged now, by the order they were added (to ask their resolvers again).
  std::vector<std::size_t> flagged() const;
  /// The resolver's second answer to observation `index`: cached-forgery or fresh-ttl.
  void add_second_answer(std::size_t index, const Observation& again);
  /// The final verdict of every observation, in the order they were added.
  std::vector<Verdict> verdicts() const;

  // Streaming, for sweeps too large to hold: every observation is counted (not kept) in a first
  // pass, then judged one at a time in later passes over the same observations.
  /// Counts an observation in the answer spread without keeping it.
  void count(const std::string& vantage, const Observation& observation);
  /// How many vantages asked the same resolvers, when known only after counting.
  void set_vantages(std::size_t vantages) { context_.vantages_total = vantages; }
  /// What counting learnt: to judge the same observations again later without counting them
  /// again (a sweep's final judging, after re-asking, takes its first judging's).
  struct Counts {
    AnswerDistribution distribution;
    std::set<std::uint32_t> resolver_ases;
    std::size_t vantages = 0;
    std::uint64_t observations = 0;  ///< how many were counted
  };
  Counts counts() const { return Counts{distribution_, resolver_ases_, context_.vantages_total, counted_}; }
  /// The counts moved out, when nothing is to be judged any more (the spread is empty after).
  Counts take_counts();
  void set_counts(Counts counts);
  /// The verdict of one counted observation; `again` is the resolver's second answer, if any,
  /// and `again_from` the vantage that asked again when not `vantage` (empty: the same one):
  /// then the verdict says reasked-elsewhere and names it (reask_elsewhere_evidence).
  Verdict judge_one(const std::string& vantage, const Observation& observation, const Observation* again = nullptr,
                    const std::string& again_from = {}) const;
  /// The verdict of one counted observation with the sweep's second answers: its own vantage's,
  /// else, when it is flagged without, the one another vantage got from the same resolver to
  /// the same question (only flagged answers were asked again).
  Verdict judge_one(const std::string& vantage, const Observation& observation, const SecondAnswers& again) const;

  /// The observation added at `index`.
  const Observation& observation(std::size_t index) const { return *added_.at(index).observation; }
  /// The resolver's own AS: its tag when known, else the AS database's, else 0.
  std::uint32_t resolver_asn(const Endpoint& resolver) const;
  /// How widely a record was returned for a question: what rare-answer and vantage-local read.
  AnswerDistribution::Spread spread(const Question& question, const ResourceRecord& record) const;
  /// The resolvers' own ASes among the observations (tagged or from the AS database).
  const std::set<std::uint32_t>& resolver_ases() const { return resolver_ases_; }

 private:
  struct Added {
    std::string vantage;
    const Observation* observation;
    std::vector<Evidence> later;  ///< from the second answer
    /// Whether the last judging flagged it, while nothing it depends on has changed since:
    /// each step judges only what the step before could have changed.
    mutable std::optional<bool> flagged;
  };
  const Truth& truth_of(const Observation& observation) const;
  std::vector<Evidence> second_answer_evidence(const Observation& first, const Observation& again,
                                              bool elsewhere = false) const;
  Verdict judge(const Added& added) const;
  bool flagged(const Added& added) const;

  JudgingInputs inputs_;
  AnswerDistribution distribution_;
  std::set<std::string> reverified_;
  std::set<std::uint32_t> resolver_ases_;
  /// The AS database's answer per untagged resolver: looked up once, not once per question.
  mutable std::unordered_map<Endpoint, std::uint32_t, EndpointHash> looked_up_asns_;
  EvidenceContext context_;
  std::vector<Added> added_;
  std::uint64_t counted_ = 0;
  Truth no_truth_;
};

}  // namespace mxsentry
