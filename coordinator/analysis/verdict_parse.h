#pragma once
// Reads back one verdict line written by append_verdict_json: `mxsentry check --coordinator`
// gets its verdicts from the coordinator this way, and researchers can load kept results.

#include <string_view>

#include "coordinator/analysis/verdict.h"

namespace mxsentry {

/// Throws std::invalid_argument naming the key that is missing or of the wrong kind.
Verdict parse_verdict_json(std::string_view line);

}  // namespace mxsentry
