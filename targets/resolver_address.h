#pragma once
// One resolver address as written in a list, checked once for every list format: syntax, and the
// refusal of special-purpose addresses unless the user allows them.

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

struct ResolverListOptions {
  bool allow_private = false;  ///< accept loopback, private and reserved addresses (the lab)
};

/// Parses "IP", "IP:port" or "[IPv6]:port" (port 53 unless given); throws ListError naming
/// source:line_no for bad syntax or a special-purpose address that is not allowed.
Endpoint parse_resolver_address(std::string_view text, const std::string& source, std::size_t line_no,
                                const ResolverListOptions& options);

}  // namespace mxsentry
