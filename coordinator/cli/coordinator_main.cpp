// mxsentry-coordinator: the long-running sweep service (coordinator/service/).
#include <atomic>
#include <csignal>
#include <iostream>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#include "coordinator/cli/coordinator_options.h"
#include "prober/core/command_line.h"

namespace {

std::atomic<bool> stop_requested{false};

}  // namespace

int main(int argc, char** argv) {
  mxsentry::CoordinatorOptions options;
  std::string config;
  CLI::App app{"mxsentry-coordinator: hands sweeps to probers over ZeroMQ and keeps the results"};
  mxsentry::add_coordinator_options(app, options, config);
  try {
    // The file first, then the flags over it: find --config before the parser fills `options`.
    if (auto path = mxsentry::config_file_argument(argc, argv)) mxsentry::read_coordinator_config(*path, options);
  } catch (const toml::parse_error& e) {  // before runtime_error, which it derives from
    std::cerr << "mxsentry-coordinator: " << *e.source().path << ":" << e.source().begin.line << ": "
              << e.description() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    std::cerr << "mxsentry-coordinator: " << e.what() << "\n";
    return 2;
  }
  if (auto status = mxsentry::parse_command_line(app, argc, argv)) return *status;
  std::signal(SIGINT, [](int) { stop_requested = true; });
  std::signal(SIGTERM, [](int) { stop_requested = true; });
  return mxsentry::run_coordinator(options, stop_requested, std::cerr);
}
