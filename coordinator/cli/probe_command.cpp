#include "coordinator/cli/probe_command.h"

#include <iostream>
#include <memory>

#include <unistd.h>

#include "coordinator/probe/probe_run.h"

namespace mxsentry {

void add_probe_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ProbeOptions>();
  auto mode = std::make_shared<std::string>("fanout");
  CLI::App* probe = app.add_subcommand("probe", "Ask resolvers about names; one JSON observation a line");
  probe->add_option("--resolvers", options->resolvers_path, "Resolver list: IP, IP:port or [IPv6]:port a line")
      ->required();
  probe->add_option("--names", options->names_path, "Name list: a name (and optionally a type) a line; - for stdin")
      ->required();
  probe->add_option("--types", options->types, "Types for names whose line has none")->default_str("A,AAAA");
  probe->add_option("--mode", *mode, "fanout: every name at every resolver; spread: each name once, resolvers in turn")
      ->check(CLI::IsMember({"fanout", "spread"}))
      ->default_str("fanout");
  probe->add_option("--out", options->out_path, "Output file (JSON lines); - for stdout")->default_str("-");
  probe->add_option("--format", options->format, "jsonl: one JSON observation a line; table: for people")
      ->check(CLI::IsMember({"jsonl", "table"}))
      ->default_str("jsonl");
  probe->add_option("--concurrency", options->concurrency, "Queries in flight at most")
      ->check(CLI::Range(1, 1000000))
      ->default_str("1000");
  probe->add_option("--qps", options->qps, "Queries per second over all resolvers (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->default_str("0");
  probe->add_option("--per-resolver-qps", options->per_resolver_qps, "Queries per second to one resolver (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->default_str("5");
  probe->add_option("--timeout-ms", options->timeout_ms, "Time to wait for each attempt")
      ->check(CLI::Range(1, 600000))
      ->default_str("2000");
  probe->add_option("--retries", options->retries, "Further attempts after a timeout")
      ->check(CLI::Range(0, 7))
      ->default_str("2");
  probe->add_option("--linger-ms", options->linger_ms, "Listen on after the first answer for differing ones")
      ->check(CLI::Range(0, 60000))
      ->default_str("200");
  probe->add_option("--udp-sockets", options->udp_sockets, "Size of the pool of UDP sockets on random ports")
      ->check(CLI::Range(1, 4096))
      ->default_str("32");
  probe->add_option("--opt-out", options->opt_out_paths,
                    "Addresses and prefixes never to ask, one a line (repeatable; /etc/mxsentry/opt-out.txt is always read)");
  probe->add_flag("--allow-private", options->allow_private,
                  "Accept loopback, private and reserved resolver addresses (labs)");
  probe->callback([&run, options, mode] {
    options->mode = *mode == "spread" ? ProbeMode::spread : ProbeMode::fanout;
    options->progress = isatty(STDERR_FILENO) == 1;
    run = [options] { return run_probe(*options, std::cerr); };
  });
}

}  // namespace mxsentry
