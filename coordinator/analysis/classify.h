#pragma once
// From evidence to a verdict class and a confidence (docs/detection.md has the arithmetic).
//
// Suspicion is the noisy-OR of the positive weights of the evidence present, scaled down by
// (1 - |w|) for each piece of benign (negative-weight) evidence:
//     suspicion = (1 - prod(1 - w+)) * prod(1 - |w-|)
// The class then follows the first rule that applies:
//   a not-asked reason (opt-out, private-refused, ...) -> not-asked;
//   no-response -> unreachable; no-truth -> unknown; rcode-mismatch -> failed;
//   no not-in-truth (nor, passively, sensor-conflict) -> consistent (confidence 1); suspicion >= poisoned_at -> poisoned;
//   >= suspicious_at -> suspicious; else variation.

#include <vector>

#include "coordinator/analysis/analysis_config.h"
#include "coordinator/analysis/verdict.h"

namespace mxsentry {

struct Decision {
  VerdictClass verdict = VerdictClass::unknown;
  double confidence = 0;  ///< in [0, 1]: how sure the class is
  double suspicion = 0;   ///< the combined weight of the evidence towards a forgery
};

double suspicion_of(const std::vector<Evidence>& evidence, const AnalysisConfig& config);
Decision decide(const std::vector<Evidence>& evidence, const AnalysisConfig& config);

}  // namespace mxsentry
