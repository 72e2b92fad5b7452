#include "coordinator/cli/mxsentry_commands.h"

#include "coordinator/cli/check_command.h"
#include "coordinator/cli/export_command.h"
#include "coordinator/cli/import_command.h"
#include "coordinator/cli/keygen_command.h"
#include "coordinator/cli/passive_command.h"
#include "coordinator/cli/probe_command.h"
#include "coordinator/cli/report_command.h"
#include "coordinator/cli/results_command.h"
#include "coordinator/cli/sweep_command.h"
#include "coordinator/cli/targets_command.h"
#include "coordinator/cli/truth_command.h"

namespace mxsentry {

void add_mxsentry_commands(CLI::App& app, std::function<int()>& run) {
  app.set_version_flag("--version", "mxsentry 0.1.0");
  app.require_subcommand(1);
  add_check_command(app, run);
  add_export_command(app, run);
  add_import_command(app, run);
  add_keygen_command(app, run);
  add_passive_command(app, run);
  add_probe_command(app, run);
  add_report_command(app, run);
  add_results_command(app, run);
  add_sweep_commands(app, run);
  add_targets_command(app, run);
  add_truth_command(app, run);
}

}  // namespace mxsentry
