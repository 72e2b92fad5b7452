#pragma once
// Verdicts that need no row (sweep schema version 7). Most answers of a sweep are one of the
// truth's answer sets, and their verdict is the same for every resolver that gave that set:
// `consistent`, evidence `match`, the set's records against the truth's. Their judging keeps
// the first such verdict of each (question, answer set) as its template; a compact result without a row
// of its own is listed with the template's verdict, its vantage, resolver and highest TTL
// filled in. A verdict with anything more (a TTL above the authoritative one, say) keeps its row.

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "coordinator/analysis/verdict.h"
#include "prober/core/observation.h"

namespace mxsentry {

/// Which answer set of which question a compact result matched.
struct MatchKey {
  std::string qname;
  std::uint16_t qtype = 0;
  std::uint32_t answer_set = 0;
  auto operator<=>(const MatchKey&) const = default;
};

/// Consistent with no evidence but the match itself: what a template can stand for.
bool is_plain_match(const Verdict& verdict);

/// The verdict of one compact result whose answer set's template is `tmpl`: the template with
/// the result's vantage, resolver and highest TTL, as the judge would have written it.
Verdict implied_verdict(const Verdict& tmpl, const std::string& vantage, const Observation& observation);

/// The verdict that stands for the plain matches of one answer set, and how many it stands for.
struct MatchTemplate {
  Verdict verdict;
  std::uint64_t results = 0;
};

/// A sweep's templates, by the answer set they stand for.
using MatchTemplates = std::map<MatchKey, MatchTemplate>;

/// The implied verdict of a compact result, when its answer set has a template.
std::optional<Verdict> implied_verdict(const MatchTemplates& templates, const std::string& vantage,
                                       const Observation& observation, std::uint32_t answer_set);

}  // namespace mxsentry
