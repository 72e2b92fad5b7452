#pragma once
// Registers `mxsentry report`: a store's runs as one self-contained HTML page (summary,
// flagged resolvers and hosts with their evidence, charts, sortable and filterable tables).

#include <functional>
#include <iosfwd>

#include <CLI/CLI.hpp>

#include "coordinator/cli/report_sources.h"

namespace mxsentry {

/// Adds the subcommand; `run` is set to the function that executes it when parsed.
void add_report_command(CLI::App& app, std::function<int()>& run);

/// Writes the report: 0 when written, 2 when the store or an input cannot be read or the page
/// cannot be written (nothing is left at --out then).
int run_report(const ReportOptions& options, std::ostream& err);

}  // namespace mxsentry
