#include "coordinator/cli/check_command.h"

#include <iostream>
#include <memory>

#include <unistd.h>

#include "coordinator/check/check_run.h"
#include "coordinator/cli/remote_check.h"

namespace mxsentry {

void add_check_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<CheckOptions>();
  auto remote = std::make_shared<RemoteCheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "Check mail domains: their MX and NS hosts at every resolver, against the authoritative truth");
  check->add_option("domains", options->domains, "Mail domains to check")->required();
  check->add_option("--resolvers", options->resolvers_path,
                    "Resolvers: IP[:port] a line (optionally with kind=, country=, asn= tags), or CSV with an "
                    "ip_address column (optional with --coordinator: each prober asks its own resolvers)");
  CLI::Option* root_hints = check->add_option("--root-hints", options->root_hints, "Root hints file")->default_str(options->root_hints);
  CLI::Option* trust_anchor = check->add_option("--trust-anchor", options->trust_anchor, "DNSSEC trust anchor (DS or DNSKEY lines)")
      ->default_str(options->trust_anchor);
  CLI::Option* asn_db = check->add_option("--asn-db", options->asn_db_path, "IP to AS: RouteViews pfx2as text or an ASN .mmdb");
  CLI::Option* ioc = check->add_option("--ioc", options->ioc_path, "Addresses and prefixes known to serve attackers, one a line");
  CLI::Option* thresholds = check->add_option("--thresholds", options->thresholds_path, "Analysis thresholds (TOML, see docs/thresholds.toml)");
  CLI::Option* db = check->add_option("--db", options->db_path, "SQLite file to keep observations, truths and verdicts in");
  check->add_option("--types", options->types, "Address types asked for every MX and NS host")->default_str("A,AAAA");
  CLI::Option* opt_out = check->add_option("--opt-out", options->opt_out_paths,
                    "Addresses and prefixes never to ask, one a line (repeatable; /etc/mxsentry/opt-out.txt is always read)");
  check->add_option("--per-resolver-qps", options->per_resolver_qps, "Queries per second to one resolver")
      ->check(CLI::PositiveNumber)
      ->default_str("5");
  check->add_option("--timeout-ms", options->timeout_ms, "Time to wait for each attempt")
      ->check(CLI::Range(1, 600000))
      ->default_str("2000");
  check->add_option("--retries", options->retries, "Further attempts after a timeout")
      ->check(CLI::Range(0, 7))
      ->default_str("2");
  CLI::Option* reask = check->add_option("--reask-delay-ms", options->reask_delay_ms,
                    "Wait before asking flagged resolvers again (0: do not; default: the thresholds file's)")
      ->check(CLI::Range(0, 600000));
  CLI::Option* vantage = check->add_option("--vantage", options->vantage, "Name of this vantage point in the verdicts")->default_str("local");
  CLI::Option* coordinator = check->add_option(
      "--coordinator", remote->control, "A coordinator's control endpoint: check through its probers, verdicts per vantage");
  // Through a coordinator, its own files and settings decide these: say so rather than ignore them.
  for (CLI::Option* local_only : {root_hints, trust_anchor, asn_db, ioc, thresholds, db, opt_out, reask, vantage})
    coordinator->excludes(local_only);
  check->add_option("--wait-ms", remote->wait_ms, "With --coordinator: how long the probers get")
      ->check(CLI::Range(1000, 3'600'000))
      ->default_str("120000")
      ->needs(coordinator);
  check->add_flag("--json", options->json, "One verdict a line as JSON (every verdict, consistent ones too)");
  check->add_flag("--allow-private", options->allow_private,
                  "Accept loopback, private and reserved resolver addresses (labs)");
  check->callback([&run, options, remote] {
    options->progress = isatty(STDERR_FILENO) == 1;
    if (remote->control.empty()) {
      if (options->resolvers_path.empty()) throw CLI::RequiredError("--resolvers");
      run = [options] { return run_check(*options, std::cout, std::cerr); };
      return;
    }
    // Through a coordinator: the coordinator's files (root hints, ASN data, thresholds) count.
    remote->domains = options->domains;
    remote->resolvers_path = options->resolvers_path;
    remote->types = options->types;
    remote->allow_private = options->allow_private;
    remote->json = options->json;
    remote->per_resolver_qps = options->per_resolver_qps;
    remote->timeout_ms = options->timeout_ms;
    remote->retries = options->retries;
    remote->progress = options->progress;
    run = [remote] { return run_remote_check(*remote, std::cout, std::cerr); };
  });
}

}  // namespace mxsentry
