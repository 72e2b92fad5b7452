#pragma once
// How a sweep keeps the verdict of a result that needs one (sweep schema version 9): not as a
// JSON line, but as what only the judging knows: the class, the confidence and the evidence,
// a few bytes beside the result they judge. Everything else a verdict says is already stored:
// the vantage, resolver, question, answer and TTL in the result, and what the truth expected
// once per question (ExpectedFacts). A field that differs from what those give (an answer
// through a CNAME, a truth that changed for one answer) is kept as an override, so that the
// verdict read back is the one the judge wrote. Pure: no I/O.

#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "prober/core/observation.h"

namespace mxsentry {

/// What the truth expected for one question, shared by its verdicts.
struct ExpectedFacts {
  std::vector<std::string> expected;
  std::uint32_t expected_ttl = 0;
  std::string dnssec;
  bool operator==(const ExpectedFacts&) const = default;
};

/// The facts of a verdict's question as it gives them.
ExpectedFacts expected_facts(const Verdict& verdict);
/// ExpectedFacts as one JSON object (verdict_overrides' keys), and back; the reader throws
/// std::invalid_argument.
std::string expected_facts_json(const ExpectedFacts& facts);
ExpectedFacts parse_expected_facts(const std::string& json);

/// One verdict as the store keeps it.
struct StoredJudgment {
  VerdictClass verdict = VerdictClass::unknown;
  std::int64_t confidence_millis = 0;  ///< the confidence in thousandths, as the JSON line prints it
  std::string evidence;                ///< one byte per code, the Evidence enumerator's number, in order
  std::string overrides;               ///< verdict_overrides against the base verdict; "" when none
};

/// The verdict that a result alone gives, with its question's facts: its vantage, resolver,
/// question, the answer's records of the asked type (sorted) and their highest TTL, its rcode,
/// as the analysis fills them (analyse.h); nothing expected when there was no answer. The
/// class is unknown and the evidence empty.
Verdict base_verdict(const std::string& vantage, const Observation& observation, const ExpectedFacts& facts);

/// The judging's part of `verdict`, whose result is (`vantage`, `observation`).
StoredJudgment stored_judgment(const Verdict& verdict, const std::string& vantage, const Observation& observation,
                               const ExpectedFacts& facts);
/// The verdict again. Throws std::invalid_argument on a class or evidence number that names
/// none, a confidence outside 0..1000 or overrides that cannot be read.
Verdict stored_verdict(const StoredJudgment& judgment, const std::string& vantage, const Observation& observation,
                       const ExpectedFacts& facts);

}  // namespace mxsentry
