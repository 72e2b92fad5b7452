#pragma once
// The trust anchor every truth lookup validates from, loaded the same way by every command
// and by the coordinator.

#include <string>

#include "coordinator/truth/dnssec_validator.h"

namespace mxsentry {

/// Loads the trust anchor file at `path` (DS or DNSKEY lines) into `validator`; an empty path
/// loads none, and the truth is then not validated. Throws as Validator::load_trust_anchor_file.
void load_trust_anchor(dnssec::Validator& validator, const std::string& path);

}  // namespace mxsentry
