#pragma once
// The options several commands share, defined once: every command that has one gets the same
// name, limits and help text (the limits themselves come from prober/core/limits.h). Each
// function adds the option to `app`, stores into `value` and shows value's current content as
// the default, so a command keeps its own gentle default.

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "prober/core/command_line.h"

namespace mxsentry {

/// --timeout-ms: time to wait for each attempt.
CLI::Option* add_timeout_option(CLI::App& app, std::uint32_t& value);
/// --retries: further attempts after a timeout.
CLI::Option* add_retries_option(CLI::App& app, std::uint32_t& value);
/// --per-resolver-qps: queries per second to one resolver (never unlimited, never NaN).
CLI::Option* add_per_resolver_qps_option(CLI::App& app, double& value);
/// --qps: queries per second over all resolvers (0: no cap).
CLI::Option* add_total_qps_option(CLI::App& app, double& value);
/// What a command reads from a --resolvers file: addresses only, or a catalog (tags or CSV too).
enum class ResolverFile { plain, catalog };
/// --resolvers: a resolver list; `note` is appended to the help text.
CLI::Option* add_resolvers_option(CLI::App& app, std::string& path, ResolverFile file, const std::string& note = "");
/// --types: the types asked of names without one (names files) or of a check's hosts.
CLI::Option* add_types_option(CLI::App& app, std::string& types);
/// --opt-out and --allow-private come from prober/core/command_line.h: the prober has them too.
/// --root-hints and --trust-anchor: where iterating from the root starts and what it trusts.
std::vector<CLI::Option*> add_root_options(CLI::App& app, std::string& root_hints, std::string& trust_anchor);
/// --asn-db, --ioc and --thresholds: what judging reads beside the truth.
std::vector<CLI::Option*> add_judging_options(CLI::App& app, std::string& asn_db, std::string& ioc,
                                              std::string& thresholds);
/// A sweep id: digits only, 1 or more (CLI11 reads "-1" into an unsigned as 2^64 - 1).
CLI::Validator sweep_id_check();
/// --control: a coordinator's control endpoint.
CLI::Option* add_control_option(CLI::App& app, std::string& endpoint);

}  // namespace mxsentry
