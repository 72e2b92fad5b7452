#pragma once
// Turns an accepted response message into the answer part of an Observation (with ldns).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "prober/core/observation.h"
#include "protocol/dns/codes.h"

namespace mxsentry {

struct ParsedResponse {
  int rcode = 0;
  HeaderFlags flags;
  std::vector<ResourceRecord> answers;
  std::vector<ResourceRecord> rrsigs;
  std::vector<ResourceRecord> authority;
  Edns edns;
  bool truncated() const { return flags.tc; }
};

/// Parses a message that already passed wire::check_structure; nullopt and the ldns reason
/// when the records themselves do not parse.
std::optional<ParsedResponse> parse_response(std::span<const std::uint8_t> packet, std::string* error);

/// The same into `out`, reusing its records and their strings (no allocation once they have
/// grown to size); false and the reason when the records do not parse (`out` is then unspecified).
/// Messages made only of the common record types (A, AAAA, NS, CNAME, PTR, DNAME, MX, SOA in
/// the authority section, OPT) whose rdata is exactly what the type says are read without
/// ldns, to the same result; anything else goes through ldns.
bool parse_response(std::span<const std::uint8_t> packet, ParsedResponse& out, std::string* error);

namespace detail {
/// Only the ldns path, and only the fast path (false: "not handled here, ask ldns"); for tests
/// that hold the two to the same result.
bool parse_response_ldns(std::span<const std::uint8_t> packet, ParsedResponse& out, std::string* error);
bool parse_response_fast(std::span<const std::uint8_t> packet, ParsedResponse& out);
}  // namespace detail


}  // namespace mxsentry
