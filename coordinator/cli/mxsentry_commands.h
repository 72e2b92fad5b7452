#pragma once
// Every `mxsentry` command on one parser: the executable's main and the tests build the same one.

#include <functional>

#include <CLI/CLI.hpp>

namespace mxsentry {

/// Adds every subcommand (and --version) to `app`; `run` is set to the parsed command's work.
void add_mxsentry_commands(CLI::App& app, std::function<int()>& run);

}  // namespace mxsentry
