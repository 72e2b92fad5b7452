#pragma once
// Verdicts for programs (one JSON object a line, DESIGN section 4's keys) and for people (a
// summary per domain and a table of everything that is not consistent).

#include <map>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"

namespace mxsentry {

/// `,"verdict":"...","confidence":0.600,"evidence":[...]`: the fields every verdict's JSON
/// shares, an active check's and a passive one's.
void append_verdict_fields(std::string& out, VerdictClass verdict, double confidence,
                           const std::vector<Evidence>& evidence);
/// A JSON array of strings.
void append_string_array(std::string& out, const std::vector<std::string>& items);

/// One JSON object and a newline: vantage, resolver, qname, qtype, verdict, confidence,
/// evidence, observed, expected, ttl, expected_ttl, dnssec, rcode, attack when known, and
/// reasked_by when another vantage asked again.
void append_verdict_json(std::string& out, const Verdict& verdict);
/// The same object as one line without its newline, as the stores keep it.
std::string verdict_json_line(const Verdict& verdict);

/// The fields of `actual` that differ from `base`, as one JSON object with the keys of
/// append_verdict_json (`{"ttl":86400}`), or "" when none does. The class, confidence and
/// evidence are not compared (the sweep store keeps them apart, stored_judgment.h).
std::string verdict_overrides(const Verdict& actual, const Verdict& base);

/// Counts of each verdict class.
std::map<VerdictClass, std::size_t> count_verdicts(const std::vector<const Verdict*>& verdicts);
/// "12 consistent, 1 poisoned, 3 unreachable" (classes with a count only, in class order).
std::string format_counts(const std::map<VerdictClass, std::size_t>& counts);

/// The table of verdicts a person should look at: flagged first, then failed, variation,
/// unreachable, unknown and not-asked; consistent ones are left out. A resolver that failed
/// the same way (or never answered, or was never asked) on every question gets one line.
std::string format_verdict_table(const std::vector<Verdict>& verdicts);

}  // namespace mxsentry
