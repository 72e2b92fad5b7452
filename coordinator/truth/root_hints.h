#pragma once
// Root hints: the names and addresses of the root servers, in the zone-file format of
// Debian's /usr/share/dns/root.hints.

#include <string>
#include <vector>

#include "coordinator/truth/truth_types.h"

namespace mxsentry {

inline constexpr const char* default_root_hints_path = "/usr/share/dns/root.hints";
inline constexpr const char* default_trust_anchor_path = "/usr/share/dns/root.key";

/// Parses root hints text; IPv6 addresses only when `ipv6`. Throws ListError("file:line: …").
std::vector<NameServer> parse_root_hints(const std::string& text, const std::string& source, bool ipv6);
std::vector<NameServer> load_root_hints(const std::string& path, bool ipv6);

}  // namespace mxsentry
