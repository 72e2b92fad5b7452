#pragma once
// Checks the RRSIGs a resolver passed on with its answer against the keys the truth iterator
// validated for the zone: authentic data is signed, a forgery of a secure zone cannot be.

#include <cstdint>
#include <optional>

#include "coordinator/truth/dnssec_validator.h"
#include "coordinator/truth/truth_types.h"
#include "prober/core/observation.h"

namespace mxsentry {

/// The check of the answer's RRset of the asked type (the last owner of a CNAME chain);
/// nullopt when the answer has no such RRset or no RRSIG covering it.
std::optional<dnssec::Verdict> check_answer_signatures(const dnssec::Validator& validator,
                                                       const Observation& observation, const Truth& truth,
                                                       std::uint32_t now);

/// When the resolver answered, in Unix seconds: the time its signatures are checked at.
std::uint32_t signature_time(const Observation& observation);

}  // namespace mxsentry
