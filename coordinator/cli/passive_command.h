#pragma once
// Registers `mxsentry passive`: the seed study's method on passive-DNS records (COF files, or
// the records `mxsentry import` kept in a check file), with verdicts as active checks give them.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace mxsentry {

struct PassiveOptions {
  std::vector<std::string> files;  ///< COF files; "-" is standard input
  std::string db;                  ///< or a check file with imported records (and truths)
  std::string asn_db_path;
  std::string ioc_path;
  std::string thresholds_path;
  std::int64_t switch_window_s = 86400;
  bool json = false;
};

/// Analyses the records and writes a verdict per (rrname, rrtype, rdata) to `out`: 0 when
/// nothing is suspicious or poisoned, 1 when something is, 2 on an error (an unreadable file or
/// store, a bad option file). Bad COF lines are named on `err` and skipped.
int run_passive(const PassiveOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

/// Adds the subcommand; `run` is set to the function that executes it when parsed.
void add_passive_command(CLI::App& app, std::function<int()>& run);

}  // namespace mxsentry
