#pragma once
// Judges observations against truths: the analysis (coordinator/analysis/) wired to this run's
// data: the truths by question, the answer spread over all observations, the AS database, the
// IOC list and the validator's keys. Shared by `mxsentry check` and the sweeps' coordinator.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coordinator/analysis/analyse.h"
#include "coordinator/check/check_targets.h"
#include "coordinator/truth/dnssec_validator.h"
#include "targets/asn_database.h"
#include "targets/prefix_list.h"

namespace mxsentry {

class Judge {
 public:
  /// Everything is borrowed and must outlive the Judge; `asn_db` and `ioc` may be null.
  Judge(const AnalysisConfig& config, std::map<Question, Truth>& truths, const dnssec::Validator& validator,
        const AsnDatabase* asn_db, const PrefixList* ioc);
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  /// Counts an observation in the answer spread (all of them before judging any).
  void count(const std::string& vantage, const Observation& observation, std::uint32_t resolver_asn);
  void set_vantages(std::size_t vantages) { context_.vantages_total = vantages; }
  /// The resolver's own AS: its tag when known, else the AS database's, else 0.
  std::uint32_t resolver_asn(const Endpoint& resolver, std::uint32_t tagged_asn) const;

  const Truth& truth_of(const Observation& observation) const;
  Verdict judge(const std::string& vantage, const Observation& observation,
                const std::vector<Evidence>& later = {}) const;
  /// Records the authoritative servers gave only when asked again (reverified-authoritative).
  std::set<std::string>& reverified() { return reverified_; }

 private:
  const AnalysisConfig& config_;
  std::map<Question, Truth>& truths_;
  const dnssec::Validator& validator_;
  const AsnDatabase* asn_db_;
  AnswerDistribution distribution_;
  std::set<std::string> reverified_;
  EvidenceContext context_;
  Truth no_truth_;
};

}  // namespace mxsentry
