#include "coordinator/cli/targets_command.h"

#include <iostream>
#include <memory>

#include "coordinator/check/targets_expand.h"
#include "coordinator/cli/common_options.h"

namespace mxsentry {

void add_targets_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ExpandOptions>();
  CLI::App* targets = app.add_subcommand("targets", "Turn mail domains into targets");
  targets->require_subcommand(1);
  CLI::App* expand = targets->add_subcommand(
      "expand", "The MX and NS hosts of mail domains, ranked by how many domains depend on each (a names file)");
  expand->add_option("--domains", options->domains_path, "Mail domains, one a line (e.g. targets/data/mail-providers.txt)")
      ->required();
  add_root_options(*expand, options->root_hints, options->trust_anchor);
  expand->add_flag("--json", options->json, "One host a line as JSON: host, in_degree, mx, ns, domains");
  expand->callback([&run, options] { run = [options] { return run_targets_expand(*options, std::cout, std::cerr); }; });
}

}  // namespace mxsentry
