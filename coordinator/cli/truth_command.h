#pragma once
// Registers `mxsentry truth` with the command line parser.

#include <functional>

#include <CLI/CLI.hpp>

namespace mxsentry {

void add_truth_command(CLI::App& app, std::function<int()>& run);

}  // namespace mxsentry
