#pragma once
// Registers `mxsentry results`: a sweep's verdicts from the coordinator's database.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

namespace mxsentry {

/// Adds the subcommand; `run` is set to the function that executes it when parsed.
void add_results_command(CLI::App& app, std::function<int()>& run);

/// Writes the sweep's verdicts: one JSON object a line, or for people a summary and the table of
/// what is not consistent. 0 on success, 2 when the database or the sweep cannot be read.
int write_sweep_results(const std::string& db, std::uint64_t sweep, bool as_json, std::ostream& out, std::ostream& err);

}  // namespace mxsentry
