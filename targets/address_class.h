#pragma once
// Special-purpose address blocks (RFC 6890 and the IANA registries): addresses that are not a
// public resolver and must not be probed unless the user says so (the lab does).

#include <optional>
#include <string>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

/// The block an address falls in ("loopback (127.0.0.0/8)"), or nullopt for a global address.
std::optional<std::string> special_purpose_block(const Endpoint& address);

/// In 64:ff9b::/96, where a DNS64 resolver puts the addresses it synthesises: special-purpose,
/// yet a normal answer from such a resolver.
bool nat64_well_known(const Endpoint& address);

}  // namespace mxsentry
