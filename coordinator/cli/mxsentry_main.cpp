// mxsentry: the command line for people.
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "coordinator/cli/check_command.h"
#include "coordinator/cli/keygen_command.h"
#include "coordinator/cli/probe_command.h"
#include "coordinator/cli/sweep_command.h"
#include "coordinator/cli/targets_command.h"
#include "coordinator/cli/truth_command.h"

int main(int argc, char** argv) {
  CLI::App app{"mxsentry: finds poisoned DNS caches on the paths mail takes"};
  app.set_version_flag("--version", "mxsentry 0.1.0");
  app.require_subcommand(1);
  std::function<int()> run;
  mxsentry::add_check_command(app, run);
  mxsentry::add_keygen_command(app, run);
  mxsentry::add_probe_command(app, run);
  mxsentry::add_sweep_commands(app, run);
  mxsentry::add_targets_command(app, run);
  mxsentry::add_truth_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, like every other error
  }
  return run ? run() : 2;
}
