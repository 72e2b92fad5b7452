#pragma once
// Reads back one verdict line written by append_verdict_json: `mxsentry check --coordinator`
// gets its verdicts from the coordinator this way, and researchers can load kept results.

#include <string_view>

#include "coordinator/analysis/verdict.h"

namespace mxsentry {

/// Throws std::invalid_argument naming the key that is missing or of the wrong kind.
Verdict parse_verdict_json(std::string_view line);
/// Sets the fields that one JSON object of verdict_overrides names (any subset of the line's
/// keys but the class, confidence and evidence); throws std::invalid_argument as above, and for
/// a key that is not one of them.
void apply_verdict_overrides(std::string_view object, Verdict& verdict);

}  // namespace mxsentry
