#pragma once
// What a check of mail domains asks about (DESIGN section 1): each domain's MX and NS records,
// then the addresses of every MX and NS host. Pure: the domains' MX/NS truths in, hosts and
// questions out.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "protocol/dns/names.h"
#include "protocol/dns/question.h"
#include "coordinator/truth/truth_types.h"

namespace mxsentry {

struct DomainTargets {
  std::string domain;
  std::vector<std::string> mx_hosts, ns_hosts;  ///< from the authoritative MX and NS records
  std::string error;                           ///< why the domain has no MX or NS truth
};

/// The host names an MX or NS truth points at (MX rdata "pref host", NS rdata "host").
std::vector<std::string> hosts_of(const Truth& truth);

/// Pairs each domain with the hosts its MX and NS truths name; `truths` holds the MX and NS
/// truth of every domain (in any order).
std::vector<DomainTargets> domain_targets(const std::vector<std::string>& domains, const std::vector<Truth>& truths);

/// The questions a check asks resolvers: every domain's MX and NS, then every host (the hosts
/// most domains depend on first) for each of `host_types`, without repeats.
std::vector<Question> check_questions(const std::vector<DomainTargets>& domains,
                                      const std::vector<std::uint16_t>& host_types);

/// The domains a question belongs to (a shared host belongs to several).
std::vector<std::string> domains_of(const Question& question, const std::vector<DomainTargets>& domains);

}  // namespace mxsentry
