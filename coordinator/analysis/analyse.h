#pragma once
// One observation in, one verdict out: evidence (evidence.h), then the decision (classify.h).

#include <string>
#include <vector>

#include "coordinator/analysis/evidence.h"
#include "coordinator/analysis/verdict.h"

namespace mxsentry {

/// `later` is what re-asking added (reask_evidence), empty when the resolver was not asked again.
Verdict analyse(const std::string& vantage, const Observation& observation, const Truth& truth,
                const EvidenceContext& context, const std::vector<Evidence>& later = {});

}  // namespace mxsentry
