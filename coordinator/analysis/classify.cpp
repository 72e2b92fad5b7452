#include "coordinator/analysis/classify.h"

#include <algorithm>
#include <cmath>

namespace mxsentry {

namespace {

bool has(const std::vector<Evidence>& evidence, Evidence e) {
  return std::find(evidence.begin(), evidence.end(), e) != evidence.end();
}

}  // namespace

double suspicion_of(const std::vector<Evidence>& evidence, const AnalysisConfig& config) {
  double clean = 1.0;   // probability that no positive evidence points at a forgery
  double relief = 1.0;  // how much the benign evidence leaves of the suspicion
  for (Evidence e : evidence) {
    double w = config.weight(e);
    if (w > 0) clean *= 1.0 - w;
    if (w < 0) relief *= 1.0 + w;
  }
  return std::clamp((1.0 - clean) * relief, 0.0, 1.0);
}

Decision decide(const std::vector<Evidence>& evidence, const AnalysisConfig& config) {
  Decision d;
  d.suspicion = suspicion_of(evidence, config);
  if (std::any_of(evidence.begin(), evidence.end(), is_not_asked_evidence)) {
    // Refused on purpose: never asked, so neither unreachable nor anything else.
    d.verdict = VerdictClass::not_asked;
    d.confidence = 1.0;
  } else if (has(evidence, Evidence::no_response)) {
    d.verdict = VerdictClass::unreachable;
    d.confidence = 1.0;
  } else if (has(evidence, Evidence::no_truth)) {
    d.verdict = VerdictClass::unknown;
    d.confidence = 0.0;
  } else if (has(evidence, Evidence::rcode_mismatch)) {
    d.verdict = VerdictClass::failed;
    d.confidence = 1.0;
  } else if (!has(evidence, Evidence::not_in_truth) && !has(evidence, Evidence::sensor_conflict)) {
    // The data is the authoritative data: odd TTLs or stripped signatures are listed as
    // evidence, but they do not make a matching answer less consistent.
    d.verdict = VerdictClass::consistent;
    d.confidence = 1.0;
  } else if (d.suspicion >= config.poisoned_at) {
    d.verdict = VerdictClass::poisoned;
    d.confidence = d.suspicion;
  } else if (d.suspicion >= config.suspicious_at) {
    d.verdict = VerdictClass::suspicious;
    d.confidence = d.suspicion;
  } else {
    d.verdict = VerdictClass::variation;
    d.confidence = 1.0 - d.suspicion;
  }
  // Three decimals are all a person reads, and they keep the JSON stable across platforms.
  d.confidence = std::round(d.confidence * 1000.0) / 1000.0;
  return d;
}

}  // namespace mxsentry
