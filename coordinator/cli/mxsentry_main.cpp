// mxsentry: the command line for people.
#include <functional>

#include <CLI/CLI.hpp>

#include "coordinator/cli/mxsentry_commands.h"
#include "prober/core/command_line.h"

int main(int argc, char** argv) {
  CLI::App app{"mxsentry: finds poisoned DNS caches on the paths mail takes"};
  std::function<int()> run;
  mxsentry::add_mxsentry_commands(app, run);
  // Usage errors exit 2, like every other error.
  if (auto status = mxsentry::parse_command_line(app, argc, argv)) return *status;
  return run ? run() : 2;
}
