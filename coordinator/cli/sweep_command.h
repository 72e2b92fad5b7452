#pragma once
// Registers `mxsentry sweep start|show`, `mxsentry status` and `mxsentry results`.

#include <functional>

#include <CLI/CLI.hpp>

namespace mxsentry {

void add_sweep_commands(CLI::App& app, std::function<int()>& run);

}  // namespace mxsentry
