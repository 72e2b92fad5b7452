#pragma once
// Registers `mxsentry import`: passive-DNS records from COF files into a check file's table of
// imported records (results/cof_table.h), a bad line named with its file and line and skipped.

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace mxsentry {

struct ImportOptions {
  std::vector<std::string> files;  ///< "-" is standard input
  std::string db;
  std::string format = "cof";
};

/// Adds the subcommand; `run` is set to the function that executes it when parsed.
void add_import_command(CLI::App& app, std::function<int()>& run);

/// Imports every line it can: 0 when every line was a record, 1 when some were not (each named
/// on `err`, the rest imported), 2 when a file or the database cannot be read or written.
int run_import(const ImportOptions& options, std::istream& in, std::ostream& err);

}  // namespace mxsentry
