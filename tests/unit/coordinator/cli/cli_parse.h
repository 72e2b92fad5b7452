#pragma once
// Parses an `mxsentry` command line the way the executable does, without running the command.

#include <exception>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "coordinator/cli/mxsentry_commands.h"
#include "prober/core/command_line.h"

namespace mxsentry::test {

struct ParseResult {
  std::optional<int> status;  ///< nullopt: the command would run
  std::string err;
  bool accepted() const { return !status; }
};

/// True when `f` returns, false when it throws (a setting refused by a reader that throws).
template <typename F>
bool succeeds(F f) {
  try {
    f();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// Parses `args` into `app` (argv[0] added); what it would print on stderr comes back.
inline ParseResult parse_into(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<const char*> argv{"mxsentry"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  auto status = parse_command_line(app, static_cast<int>(argv.size()), argv.data(), out, err);
  return {status, err.str()};
}

/// Parses `args` with every mxsentry command registered, as mxsentry's main does.
inline ParseResult parse_mxsentry(const std::vector<std::string>& args) {
  CLI::App app{"mxsentry"};
  std::function<int()> run;
  add_mxsentry_commands(app, run);
  ParseResult result = parse_into(app, args);
  if (result.accepted()) REQUIRE(run);  // a parsed command always has work to run
  return result;
}

}  // namespace mxsentry::test
