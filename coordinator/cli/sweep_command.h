#pragma once
// Registers `mxsentry sweep start|show` and `mxsentry status`.

#include <functional>

#include <CLI/CLI.hpp>

namespace mxsentry {

/// Adds the subcommands; `run` is set to the function that executes the one parsed.
void add_sweep_commands(CLI::App& app, std::function<int()>& run);

}  // namespace mxsentry
