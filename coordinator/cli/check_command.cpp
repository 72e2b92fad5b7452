#include "coordinator/cli/check_command.h"

#include <iostream>
#include <memory>

#include <unistd.h>

#include "coordinator/check/check_run.h"
#include "coordinator/cli/common_options.h"
#include "coordinator/cli/remote_check.h"

namespace mxsentry {

void add_check_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<CheckOptions>();
  auto remote = std::make_shared<RemoteCheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "Check mail domains: their MX and NS hosts at every resolver, against the authoritative truth");
  check->add_option("domains", options->domains, "Mail domains to check")->required();
  add_resolvers_option(*check, options->resolvers_path, ResolverFile::catalog,
                       " (optional with --coordinator: each prober asks its own resolvers)");
  std::vector<CLI::Option*> local_only = add_root_options(*check, options->root_hints, options->trust_anchor);
  for (CLI::Option* judging : add_judging_options(*check, options->asn_db_path, options->ioc_path, options->thresholds_path))
    local_only.push_back(judging);
  local_only.push_back(
      check->add_option("--db", options->db_path, "SQLite file to keep observations, truths and verdicts in"));
  add_types_option(*check, options->types);
  local_only.push_back(add_opt_out_option(*check, options->opt_out_paths));
  add_per_resolver_qps_option(*check, options->per_resolver_qps);
  add_timeout_option(*check, options->timeout_ms);
  add_retries_option(*check, options->retries);
  local_only.push_back(check->add_option("--reask-delay-ms", options->reask_delay_ms,
                    "Wait before asking flagged resolvers again (0: do not; default: the thresholds file's)")
      ->check(whole_number_check(0, 600000)));
  local_only.push_back(
      check->add_option("--vantage", options->vantage, "Name of this vantage point in the verdicts")->capture_default_str());
  CLI::Option* coordinator = check->add_option(
      "--coordinator", remote->control, "A coordinator's control endpoint: check through its probers, verdicts per vantage");
  // Through a coordinator, its own files and settings decide these: say so rather than ignore them.
  for (CLI::Option* option : local_only) coordinator->excludes(option);
  check->add_option("--wait-ms", remote->wait_ms, "With --coordinator: how long the probers get")
      ->check(whole_number_check(1000, 3'600'000))
      ->default_str("120000")
      ->needs(coordinator);
  check->add_flag("--json", options->json, "One verdict a line as JSON (every verdict, consistent ones too)");
  add_allow_private_flag(*check, options->allow_private);
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
