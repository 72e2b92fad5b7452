#pragma once
// Domain names as every layer spells them: canonical presentation form (ASCII lower case, a
// trailing dot), the checks a domain from a list must pass, and zone membership.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/dns/ldns_include.h"

namespace mxsentry {

/// ASCII lower case with a trailing dot ("Example.COM" → "example.com."); no checks.
std::string canonical_domain(std::string_view name);

/// Checks a domain: labels of 1–63 letters, digits, '-' or '_' (no '-' at either end), at most
/// 255 octets, not the root. Returns its canonical form, or nullopt and a reason.
std::optional<std::string> parse_domain(std::string_view text, std::string* error = nullptr);

/// Lower-case presentation form with the trailing dot: the one spelling of names in truths,
/// questions and verdicts ("." stays ".").
std::string canonical_name(std::string_view name);
std::string canonical_name(const ldns_rdf* dname);
/// True when `name` is `zone` or below it (both canonical).
bool in_zone(const std::string& name, const std::string& zone);
/// Number of labels ("." has 0).
std::size_t label_count(const std::string& name);

}  // namespace mxsentry
