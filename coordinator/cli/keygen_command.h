#pragma once
// Registers `mxsentry keygen` with the command line parser.

#include <functional>

#include <CLI/CLI.hpp>

namespace mxsentry {

/// Adds the subcommand; `run` is set to the function that executes it when parsed.
void add_keygen_command(CLI::App& app, std::function<int()>& run);

}  // namespace mxsentry
