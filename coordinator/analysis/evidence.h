#pragma once
// Gathers the evidence for one observation: compares it with the truth, then asks what is
// known of every record the truth lacks (its AS, its prefix, its spread over resolvers, IOC
// lists, DNSSEC). Pure: everything from outside comes in as data or as a lookup function.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coordinator/analysis/analysis_config.h"
#include "coordinator/analysis/answer_compare.h"
#include "coordinator/analysis/answer_distribution.h"
#include "coordinator/analysis/verdict.h"
#include "coordinator/truth/dnssec_status.h"
#include "coordinator/truth/truth_types.h"
#include "targets/prefix_list.h"

namespace mxsentry {

struct EvidenceContext {
  const AnalysisConfig* config = nullptr;
  const AnswerDistribution* distribution = nullptr;  ///< optional: no rare-answer / vantage-local without it
  /// The origin ASes of an address; empty when unknown (or no ASN database).
  std::function<std::vector<std::uint32_t>(const Endpoint&)> asns_of;
  const PrefixList* ioc = nullptr;  ///< optional
  /// Checks the signatures the resolver passed on (its RRset of the asked type) against the
  /// zone's validated keys; nullopt when no check is possible.
  std::function<std::optional<dnssec::Verdict>(const Observation&, const Truth&)> check_signatures;
  /// Records the authoritative servers gave only when asked again (record_key form).
  const std::set<std::string>* reverified = nullptr;
  std::size_t vantages_total = 1;
};

struct Findings {
  Comparison comparison;
  std::vector<Evidence> evidence;  ///< each code at most once, in the order found
};

Findings gather_evidence(const Observation& observation, const Truth& truth, const EvidenceContext& context);

/// What asking the resolver again `elapsed_s` seconds later tells: the same forged records with
/// their TTLs counted down (cached-forgery), or with fresh TTLs (fresh-ttl). Empty when the first
/// answer matched, the second has no answer, or the forged records left the cache by expiry.
std::vector<Evidence> reask_evidence(const Observation& first, const Observation& second, const Truth& truth,
                                     double elapsed_s, const AnalysisConfig& config);
/// The same when another vantage than the first asked again (the first one gone): an answer
/// from it gives reasked-elsewhere, then cached-forgery only. A countdown from the first answer
/// shows a cache holding the forgery whichever vantage reads it; a fresh TTL does not show an
/// injector on the first vantage's path (that path was not taken), and behind an anycast
/// address may be another instance's cache (docs/detection.md).
std::vector<Evidence> reask_elsewhere_evidence(const Observation& first, const Observation& second,
                                               const Truth& truth, double elapsed_s, const AnalysisConfig& config);

}  // namespace mxsentry
