#pragma once
// The command-line side of limits.h, for the three executables (mxsentry, mxsentry-coordinator,
// mxsentry-prober). Header-only: the engine library itself never links CLI11, each main does;
// it lives at the engine's level because that is the lowest part all three may include.

#include <charconv>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "prober/core/limits.h"
#include "protocol/dns/shown_text.h"

namespace mxsentry {

namespace command_line_detail {

inline std::string rate_text(double qps) { return std::to_string(static_cast<long long>(qps)); }

/// What a refusal echoes of a value: escaped and short (a 1 MB argument is not repeated).
inline std::string value_text(const std::string& text) { return shown_text(text, 40); }

/// `rule` ends the refusal ("queries per second must be RULE, not nan"); `shown` goes in the help.
inline CLI::Validator rate_check(bool (*valid)(double), const std::string& rule, const std::string& shown) {
  return CLI::Validator(
      [valid, rule](std::string& text) -> std::string {
        double qps = 0;
        // CLI11's own number checks compare, and NaN passes every comparison.
        if (!CLI::detail::lexical_cast(text, qps) || !valid(qps))
          return "queries per second must be " + rule + ", not " + value_text(text);
        return {};
      },
      shown);
}

}  // namespace command_line_detail

/// A whole number in [min, max], written in digits. CLI::Range called "1e3" "not in range" and
/// printed a double bound with all its digits; this says what is wanted, in a short line.
inline CLI::Validator whole_number_check(std::int64_t min, std::int64_t max) {
  std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        std::int64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || ec != std::errc() || stop != end || value < min || value > max)
          return "expected a whole number from " + range + ", not " + command_line_detail::value_text(text);
        return {};
      },
      "INT in " + range);
}

/// Milliseconds per attempt: limits::min_timeout_ms to limits::max_timeout_ms.
inline CLI::Validator timeout_ms_check() { return whole_number_check(limits::min_timeout_ms, limits::max_timeout_ms); }

/// Retries after a timeout: 0 to limits::max_retries.
inline CLI::Validator retries_check() { return whole_number_check(0, limits::max_retries); }

/// A rate towards one resolver: finite, above 0, at most limits::max_per_resolver_qps.
inline CLI::Validator per_resolver_qps_check() {
  std::string range = "(0, " + command_line_detail::rate_text(limits::max_per_resolver_qps) + "]";
  return command_line_detail::rate_check(limits::valid_per_resolver_qps, "a number in " + range, "QPS in " + range);
}

/// A rate over all resolvers: finite and not negative (0: no cap).
inline CLI::Validator total_qps_check() {
  return command_line_detail::rate_check(limits::valid_total_qps, "a finite number, 0 or more", "QPS >= 0");
}

/// Parses the command line into `app`. Returns nullopt to go on, or the exit status to stop
/// with: 0 after --help or --version, 2 on a usage error (told on `err`). An argument nothing
/// takes is reported as unknown before any other problem: CLI11 checks what is required and
/// excluded first, and would blame a stray option on something the user never got wrong.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv,
                                             std::ostream& out = std::cout, std::ostream& err = std::cerr) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    std::string stray;
    bool after_option = false;
    for (const auto& arg : app.remaining(true)) {
      bool option = arg.starts_with('-');
      // A word right after an unknown option is most likely its value: naming the option says it all.
      if (arg != "--" && (option || !after_option))
        stray += (stray.empty() ? "" : ", ") + std::string(option ? "unknown option " : "unexpected argument ") + arg;
      after_option = option;
    }
    if (e.get_exit_code() == 0 || stray.empty()) return app.exit(e, out, err) == 0 ? 0 : 2;
    app.exit(CLI::ExtrasError(stray, CLI::ExitCodes::ExtrasError), out, err);
    return 2;
  }
}

/// --opt-out: addresses and prefixes never to ask (repeatable); the prober's and the commands'.
inline CLI::Option* add_opt_out_option(CLI::App& app, std::vector<std::string>& paths) {
  return app.add_option("--opt-out", paths,
                        "Addresses and prefixes never to ask, one a line (repeatable; /etc/mxsentry/opt-out.txt is always read)");
}

/// --allow-private: accept loopback, private and reserved resolver addresses.
inline CLI::Option* add_allow_private_flag(CLI::App& app, bool& value) {
  return app.add_flag("--allow-private", value, "Accept loopback, private and reserved resolver addresses (labs)");
}

}  // namespace mxsentry
