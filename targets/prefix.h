#pragma once
// An address prefix ("192.0.2.0/24", "2001:db8::/32"): the unit of opt-out, IOC and routing data.

#include <optional>
#include <string>
#include <string_view>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

struct Prefix {
  Endpoint network;  ///< port unused
  unsigned length = 0;
  bool contains(const Endpoint& address) const;
  std::string to_string() const;
};

/// The prefix of `length` bits that holds the address (the address with the later bits cleared).
Prefix prefix_of(const Endpoint& address, unsigned length);

/// Parses "192.0.2.0/24", "2001:db8::/32" or a bare address (a /32 or /128); nullopt and a reason.
std::optional<Prefix> parse_prefix(std::string_view text, std::string* error = nullptr);

}  // namespace mxsentry
