#include "coordinator/check/check_targets.h"

#include "targets/target_ranking.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace mxsentry {

namespace {
constexpr std::uint16_t type_ns = 2, type_mx = 15;
}

std::vector<std::string> hosts_of(const Truth& truth) {
  std::vector<std::string> hosts;
  for (const auto& record : truth.answers) {
    if (record.type != truth.qtype) continue;
    std::istringstream fields(record.rdata);
    std::string host;
    if (record.type == type_mx) {
      std::string preference;
      fields >> preference;
    }
    fields >> host;
    // "." is the null MX (RFC 7505): the domain takes no mail, there is no host to ask about.
    if (host.empty() || host == ".") continue;
    host = canonical_name(host);
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) hosts.push_back(host);
  }
  return hosts;
}

std::vector<DomainTargets> domain_targets(const std::vector<std::string>& domains, const std::vector<Truth>& truths) {
  std::vector<DomainTargets> out;
  for (const auto& name : domains) {
    DomainTargets d;
    d.domain = canonical_name(name);
    for (const auto& truth : truths) {
      if (canonical_name(truth.qname) != d.domain) continue;
      if (truth.qtype != type_mx && truth.qtype != type_ns) continue;
      // An error with an rcode is a truth cut short on the way (a CNAME loop, a chain too
      // long): it is said, not shown as a domain with no hosts.
      if (truth.rcode < 0 || !truth.error.empty()) {
        if (!d.error.empty()) d.error += "; ";
        d.error += (truth.qtype == type_mx ? "MX: " : "NS: ") + truth.error;
      }
      if (truth.rcode < 0) continue;
      (truth.qtype == type_mx ? d.mx_hosts : d.ns_hosts) = hosts_of(truth);
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<Question> check_questions(const std::vector<DomainTargets>& domains,
                                      const std::vector<std::uint16_t>& host_types) {
  std::vector<Question> questions;
  std::set<Question> seen;
  auto ask = [&](const std::string& name, std::uint16_t type) {
    Question q{name, type};
    if (seen.insert(q).second) questions.push_back(q);
  };
  for (const auto& d : domains) {
    ask(d.domain, type_mx);
    ask(d.domain, type_ns);
  }
  std::vector<DomainHosts> hosts;
  for (const auto& d : domains) hosts.push_back({d.domain, d.mx_hosts, d.ns_hosts});
  for (const auto& host : rank_hosts(hosts))
    for (std::uint16_t type : host_types) ask(host.name, type);
  return questions;
}

std::vector<std::string> domains_of(const Question& question, const std::vector<DomainTargets>& domains) {
  std::vector<std::string> out;
  std::string name = canonical_name(question.qname);
  for (const auto& d : domains) {
    bool mine = d.domain == name ||
                std::find(d.mx_hosts.begin(), d.mx_hosts.end(), name) != d.mx_hosts.end() ||
                std::find(d.ns_hosts.begin(), d.ns_hosts.end(), name) != d.ns_hosts.end();
    if (mine) out.push_back(d.domain);
  }
  return out;
}

}  // namespace mxsentry
