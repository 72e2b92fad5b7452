#include "coordinator/cli/probe_command.h"

#include <iostream>
#include <memory>

#include <unistd.h>

#include "coordinator/cli/common_options.h"
#include "coordinator/probe/probe_run.h"

namespace mxsentry {

void add_probe_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ProbeOptions>();
  auto mode = std::make_shared<std::string>("fanout");
  CLI::App* probe = app.add_subcommand("probe", "Ask resolvers about names; one JSON observation a line");
  add_resolvers_option(*probe, options->resolvers_path, ResolverFile::plain)->required();
  probe->add_option("--names", options->names_path, "Name list: a name (and optionally a type) a line; - for stdin")
      ->required();
  add_types_option(*probe, options->types);
  probe->add_option("--mode", *mode, "fanout: every name at every resolver; spread: each name once, resolvers in turn")
      ->check(CLI::IsMember({"fanout", "spread"}))
      ->default_str("fanout");
  probe->add_option("--out", options->out_path, "Output file (JSON lines); - for stdout")->default_str("-");
  probe->add_option("--format", options->format, "jsonl: one JSON observation a line; table: for people")
      ->check(CLI::IsMember({"jsonl", "table"}))
      ->default_str("jsonl");
  probe->add_option("--concurrency", options->concurrency, "Queries in flight at most")
      ->check(whole_number_check(1, 1000000))
      ->default_str("1000");
  add_total_qps_option(*probe, options->qps);
  add_per_resolver_qps_option(*probe, options->per_resolver_qps);
  add_timeout_option(*probe, options->timeout_ms);
  add_retries_option(*probe, options->retries);
  probe->add_option("--linger-ms", options->linger_ms, "Listen on after the first answer for differing ones")
      ->check(whole_number_check(0, 60000))
      ->default_str("200");
  probe->add_option("--udp-sockets", options->udp_sockets, "Size of the pool of UDP sockets on random ports")
      ->check(whole_number_check(1, 4096))
      ->default_str("32");
  add_opt_out_option(*probe, options->opt_out_paths);
  add_allow_private_flag(*probe, options->allow_private);
  probe->callback([&run, options, mode] {
    options->mode = *mode == "spread" ? ProbeMode::spread : ProbeMode::fanout;
    options->progress = isatty(STDERR_FILENO) == 1;
    run = [options] { return run_probe(*options, std::cerr); };
  });
}

}  // namespace mxsentry
