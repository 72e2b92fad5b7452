#pragma once
// Registers `mxsentry export`: a store's observations and verdicts as passive-DNS records
// (COF) or dnstap, verdict tables (CSV, JSON lines) or an IOC list of forged addresses.

#include <functional>
#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

#include "coordinator/cli/export_sources.h"

namespace mxsentry {

struct ExportOptions {
  ExportSelection selection;
  std::string format;  ///< cof, dnstap, csv, jsonl, ioc
  std::string out = "-";
  bool rdata_per_record = false;
  bool progress = false;  ///< a progress line on stderr (set when it is a terminal)
};

/// Adds the subcommand; `run` is set to the function that executes it when parsed.
void add_export_command(CLI::App& app, std::function<int()>& run);

/// Runs the export: 0 when written, 2 when the store cannot be read or the output written.
int run_export(const ExportOptions& options, std::ostream& err);

}  // namespace mxsentry
