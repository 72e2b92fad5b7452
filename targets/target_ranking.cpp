#include "targets/target_ranking.h"

#include <algorithm>
#include <map>
#include <set>

#include "targets/domain_list.h"

namespace mxsentry {

namespace {

// Domains named in a comment line; the full list of a host serving thousands would drown the file.
constexpr std::size_t domains_shown = 10;

struct HostUse {
  std::set<std::string> domains;
  bool mx = false, ns = false;
};

void add_use(std::map<std::string, HostUse>& hosts, const std::string& host, const std::string& domain, bool as_mx) {
  std::string name = canonical_domain(host);
  if (name == ".") return;  // null MX: the domain takes no mail
  HostUse& use = hosts[name];
  use.domains.insert(domain);
  (as_mx ? use.mx : use.ns) = true;
}

}  // namespace

std::vector<RankedHost> rank_hosts(const std::vector<DomainHosts>& input) {
  std::map<std::string, HostUse> hosts;
  for (const auto& entry : input) {
    std::string domain = canonical_domain(entry.domain);
    for (const auto& host : entry.mx_hosts) add_use(hosts, host, domain, true);
    for (const auto& host : entry.ns_hosts) add_use(hosts, host, domain, false);
  }
  std::vector<RankedHost> ranked;
  ranked.reserve(hosts.size());
  for (auto& [name, use] : hosts) {
    RankedHost host;
    host.name = name;
    host.in_degree = use.domains.size();
    host.domains.assign(use.domains.begin(), use.domains.end());
    host.mx = use.mx;
    host.ns = use.ns;
    ranked.push_back(std::move(host));
  }
  // The map gave name order; a stable sort by in-degree keeps it among equals.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const RankedHost& a, const RankedHost& b) { return a.in_degree > b.in_degree; });
  return ranked;
}

std::string format_ranked_hosts(const std::vector<RankedHost>& hosts) {
  std::string out;
  for (const auto& host : hosts) {
    out += "# in-degree " + std::to_string(host.in_degree) + " (";
    out += host.mx && host.ns ? "mx,ns" : host.mx ? "mx" : host.ns ? "ns" : "";
    out += "):";
    std::size_t shown = std::min(host.domains.size(), domains_shown);
    for (std::size_t i = 0; i < shown; ++i) out += (i == 0 ? " " : ", ") + host.domains[i];
    if (host.domains.size() > shown) out += ", ... (" + std::to_string(host.domains.size() - shown) + " more)";
    out += "\n";
    out += host.name + " A\n";
    out += host.name + " AAAA\n";
  }
  return out;
}

}  // namespace mxsentry
