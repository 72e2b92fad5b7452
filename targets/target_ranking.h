#pragma once
// Target ranking: the MX and NS hosts of many domains, ranked by in-degree (how many domains
// depend on a host). A host that serves many domains is the most valuable to poison, so it is
// probed first. Pure: the DNS lookups that fill DomainHosts happen elsewhere.

#include <cstddef>
#include <string>
#include <vector>

namespace mxsentry {

struct DomainHosts {
  std::string domain;
  std::vector<std::string> mx_hosts, ns_hosts;
};

struct RankedHost {
  std::string name;  ///< canonical: lower case, trailing dot
  std::size_t in_degree = 0;         ///< distinct domains that depend on the host
  std::vector<std::string> domains;  ///< those domains, canonical and sorted
  bool mx = false, ns = false;       ///< whether it serves some domain as MX, as NS
};

/// Ranks every MX and NS host by in-degree (descending), then by name. Names are compared in
/// canonical form; a domain listed twice counts once, and the null MX "." (RFC 7505) is no host.
std::vector<RankedHost> rank_hosts(const std::vector<DomainHosts>& input);

/// A name list for `mxsentry probe --names`: for each host a comment
/// "# in-degree N (mx,ns): d1, d2, ..." (at most 10 domains, then how many more), then the lines
/// "host A" and "host AAAA".
std::string format_ranked_hosts(const std::vector<RankedHost>& hosts);

}  // namespace mxsentry
