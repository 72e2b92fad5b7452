#include "coordinator/check/targets_expand.h"

#include <iostream>

#include "coordinator/check/check_targets.h"
#include "coordinator/truth/truth_run.h"
#include "results/json_text.h"
#include "targets/domain_list.h"
#include "targets/target_ranking.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_ns = 2, type_mx = 15;

void append_host_json(std::string& out, const RankedHost& host) {
  out += "{\"host\":";
  json::append_string(out, host.name);
  out += ",\"in_degree\":";
  json::append_int(out, static_cast<std::int64_t>(host.in_degree));
  out += ",\"mx\":";
  out += host.mx ? "true" : "false";
  out += ",\"ns\":";
  out += host.ns ? "true" : "false";
  out += ",\"domains\":[";
  for (std::size_t i = 0; i < host.domains.size(); ++i) {
    if (i) out += ',';
    json::append_string(out, host.domains[i]);
  }
  out += "]}\n";
}

}  // namespace

int run_targets_expand(const ExpandOptions& options, std::ostream& out, std::ostream& err) {
  try {
    DomainList list = load_domain_list(options.domains_path);
    if (list.domains.empty()) throw ListError(options.domains_path + ": no domains in the list");
    TruthOptions truth;
    truth.root_hints = options.root_hints;
    truth.trust_anchor = options.trust_anchor;
    for (const auto& d : list.domains) {
      truth.questions.emplace_back(d, type_mx);
      truth.questions.emplace_back(d, type_ns);
    }
    std::vector<DomainTargets> domains = domain_targets(list.domains, find_truths(truth));
    std::vector<DomainHosts> hosts;
    bool all_answered = true;
    for (const auto& d : domains) {
      if (!d.error.empty()) {
        err << "mxsentry targets: " << d.domain << ": " << d.error << "\n";
        all_answered = false;
      }
      hosts.push_back({d.domain, d.mx_hosts, d.ns_hosts});
    }
    std::vector<RankedHost> ranked = rank_hosts(hosts);
    std::string text;
    if (options.json) {
      for (const auto& host : ranked) append_host_json(text, host);
    } else {
      text = "# " + std::to_string(ranked.size()) + " MX and NS hosts of " + std::to_string(domains.size()) +
             " domains (" + options.domains_path + "), most depended on first\n" + format_ranked_hosts(ranked);
    }
    out << text << std::flush;
    return all_answered ? 0 : 1;
  } catch (const std::exception& e) {
    err << "mxsentry targets: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace mxsentry
