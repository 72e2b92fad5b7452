// mxsentry-prober: the long-running vantage-point agent (prober/agent/).
#include <atomic>
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "prober/agent/prober_agent.h"
#include "prober/core/command_line.h"

namespace {
std::atomic<bool> stop_requested{false};
}

int main(int argc, char** argv) {
  mxsentry::ProberOptions options;
  std::vector<std::string> tags;
  CLI::App app{"mxsentry-prober: takes work from a coordinator over ZeroMQ and probes resolvers"};
  app.add_option("--coordinator", options.coordinator, "The coordinator's prober endpoint")->required();
  app.add_option("--id", options.id, "A name for this vantage (people read it; the key decides)")->required();
  app.add_option("--key", options.key_path, "This prober's secret key (mxsentry keygen)");
  app.add_option("--server-key", options.server_key_path, "The coordinator's public key (.pub)");
  app.add_flag("--insecure", options.insecure, "Plain TCP, no CURVE (tests on loopback)");
  app.add_option("--resolvers", options.resolvers_path, "Local resolvers only this vantage can reach");
  // The same limits as mxsentry's --qps and --per-resolver-qps: a unit asks, these cap.
  app.add_option("--max-qps", options.max_qps, "Queries per second over all resolvers (0: no cap)")
      ->check(mxsentry::total_qps_check())
      ->capture_default_str();
  app.add_option("--max-per-resolver-qps", options.max_per_resolver_qps, "Never faster than this per resolver")
      ->check(mxsentry::per_resolver_qps_check())
      ->capture_default_str();
  app.add_option("--capacity", options.capacity, "Units run at once (they share the vantage's rate caps)")
      ->check(mxsentry::whole_number_check(1, 256))
      ->capture_default_str();
  app.add_option("--tags", tags, "k=v tags describing the vantage (country=NL,asn=1136)")->delimiter(',');
  mxsentry::add_opt_out_option(app, options.opt_out_paths);
  mxsentry::add_allow_private_flag(app, options.allow_private);
  if (auto status = mxsentry::parse_command_line(app, argc, argv)) return *status;
  try {
    for (const auto& tag : tags) {
      auto eq = tag.find('=');
      if (eq == std::string::npos || eq == 0) throw CLI::ValidationError("--tags", "expected k=v, got " + tag);
      options.tags[tag.substr(0, eq)] = tag.substr(eq + 1);
    }
    if (!options.insecure && (options.key_path.empty() || options.server_key_path.empty()))
      throw CLI::ValidationError("--key", "CURVE needs --key and --server-key (or --insecure)");
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::signal(SIGINT, [](int) { stop_requested = true; });
  std::signal(SIGTERM, [](int) { stop_requested = true; });
  return mxsentry::run_prober(options, stop_requested, std::cerr);
}
