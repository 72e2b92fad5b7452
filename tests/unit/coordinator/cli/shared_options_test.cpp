// One definition per shared option: every command that has --timeout-ms, --retries or a rate
// takes and refuses the same values, with the same help text, and so do the prober's flags,
// the control API and a sweep's TOML definition.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "coordinator/control/control_requests.h"
#include "coordinator/sweep/sweep_definition.h"
#include "prober/core/limits.h"
#include "tests/unit/coordinator/cli/cli_parse.h"

using namespace mxsentry;
using mxsentry::test::parse_into;
using mxsentry::test::parse_mxsentry;

namespace {

// A command line that parses as it is, one per command that asks resolvers or servers.
const std::vector<std::vector<std::string>> timeout_commands{
    {"probe", "--resolvers", "r.txt", "--names", "n.txt"},
    {"truth", "example.com"},
    {"check", "example.com", "--resolvers", "r.txt"},
    {"sweep", "start", "--targets", "t.txt", "--resolvers", "r.txt"},
};
// The same, for the commands that ask resolvers (truth asks authoritative servers, no rates).
const std::vector<std::vector<std::string>> resolver_commands{timeout_commands[0], timeout_commands[2],
                                                              timeout_commands[3]};

bool accepts(std::vector<std::string> command, const std::string& option, const std::string& value) {
  command.push_back(option);
  command.push_back(value);
  return parse_mxsentry(command).accepted();
}

/// The subcommand a command line names (the last of "sweep start").
const CLI::App* subcommand(const CLI::App& app, const std::vector<std::string>& command) {
  const CLI::App* sub = app.get_subcommand(command[0]);
  if (command[0] == "sweep") sub = sub->get_subcommand(command[1]);
  return sub;
}

/// Whether a sweep definition with this line parses (a line that is not TOML counts as refused).
bool sweep_definition_accepts(const std::string& line) {
  return test::succeeds([&] {
    toml::table t = toml::parse("[[sweep]]\nname = \"n\"\ntargets = \"t\"\nresolvers = \"r\"\n" + line + "\n");
    parse_sweep_definitions(*t.get("sweep"), "c.toml");
  });
}

bool control_accepts(SweepSettings settings) {
  return test::succeeds([&] { validate_settings(settings); });
}

/// An integer setting: each command's option, a sweep's TOML key and the control API agree.
void check_integer_setting(const std::vector<std::vector<std::string>>& commands, const std::string& option,
                           const std::string& key, std::uint32_t SweepSettings::*field, const std::string& value,
                           bool valid) {
  for (const auto& command : commands) {
    INFO(command[0] << " " << option << " " << value);
    CHECK(accepts(command, option, value) == valid);
  }
  if (value.find_first_not_of("0123456789") != std::string::npos) return;  // not a TOML or JSON integer
  CHECK(sweep_definition_accepts(key + " = " + value) == valid);
  SweepSettings s;
  s.*field = static_cast<std::uint32_t>(std::stoul(value));
  CHECK(control_accepts(s) == valid);
}

}  // namespace

TEST_CASE("shared options: every command takes and refuses the same --timeout-ms", "[cli]") {
  struct Case {
    std::string value;
    bool valid;
  };
  auto [value, valid] = GENERATE(Case{"99", false}, Case{"100", true}, Case{"2000", true}, Case{"30000", true},
                                 Case{"30001", false}, Case{"600000", false}, Case{"0", false}, Case{"-5", false},
                                 Case{"nan", false});
  check_integer_setting(timeout_commands, "--timeout-ms", "timeout_ms", &SweepSettings::timeout_ms, value, valid);
}

TEST_CASE("shared options: every command takes and refuses the same --retries", "[cli]") {
  auto value = GENERATE(as<std::string>{}, "0", "1", "5", "6", "7", "-1", "nan");
  bool valid = value == "0" || value == "1" || value == "5";
  check_integer_setting(resolver_commands, "--retries", "retries", &SweepSettings::retries, value, valid);
}

TEST_CASE("shared options: a per-resolver rate is finite, above 0 and at most the limit everywhere", "[cli]") {
  auto value = GENERATE(as<std::string>{}, "0.05", "5", "1000", "0", "-1", "1000.5", "nan", "NaN", "-nan", "inf",
                        "-inf", "infinity", "1e400", "abc");
  double number = 0;
  bool parsed = CLI::detail::lexical_cast(value, number);
  bool valid = value == "0.05" || value == "5" || value == "1000";
  for (const auto& command : resolver_commands) {
    INFO(command[0] << " --per-resolver-qps " << value);
    CHECK(accepts(command, "--per-resolver-qps", value) == valid);
  }
  // The prober's cap takes the same values (its main registers this very check).
  CLI::App prober{"prober"};
  double cap = 5;
  prober.add_option("--max-per-resolver-qps", cap)->check(per_resolver_qps_check());
  CHECK(parse_into(prober, {"--max-per-resolver-qps", value}).accepted() == valid);
  CHECK(sweep_definition_accepts("per_resolver_qps = " + value) == valid);  // TOML has nan and inf too
  if (parsed) {
    CHECK(limits::valid_per_resolver_qps(number) == valid);
    SweepSettings s;
    s.per_resolver_qps = number;
    CHECK(control_accepts(s) == valid);
  }
}

TEST_CASE("shared options: a rate over all resolvers is finite and not negative", "[cli]") {
  auto value = GENERATE(as<std::string>{}, "0", "500", "1e6", "-1", "nan", "inf", "-inf");
  bool valid = value == "0" || value == "500" || value == "1e6";
  CHECK(accepts(timeout_commands[0], "--qps", value) == valid);
  CLI::App prober{"prober"};
  double cap = 0;
  prober.add_option("--max-qps", cap)->check(total_qps_check());
  CHECK(parse_into(prober, {"--max-qps", value}).accepted() == valid);
}

TEST_CASE("shared options: the refusal of nan names the option and the range", "[cli]") {
  auto r = parse_mxsentry({"check", "example.com", "--resolvers", "r.txt", "--per-resolver-qps", "nan"});
  REQUIRE(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("--per-resolver-qps") && Catch::Contains("(0, 1000]"));
}

TEST_CASE("shared options: the same help text wherever an option appears", "[cli]") {
  CLI::App app{"mxsentry"};
  std::function<int()> run;
  add_mxsentry_commands(app, run);
  auto description = [&](const std::vector<std::string>& command, const std::string& option) {
    return subcommand(app, command)->get_option(option)->get_description();
  };
  for (const char* option : {"--timeout-ms"}) {
    for (const auto& command : timeout_commands) CHECK(description(command, option) == description(timeout_commands[0], option));
  }
  for (const char* option : {"--retries", "--per-resolver-qps", "--types", "--allow-private"}) {
    for (const auto& command : resolver_commands) {
      INFO(command[0] << " " << option);
      CHECK(description(command, option) == description(resolver_commands[0], option));
    }
  }
  for (const char* option : {"--root-hints", "--trust-anchor"}) {
    CHECK(description({"truth"}, option) == description({"check"}, option));
    CHECK(subcommand(app, {"targets"})->get_subcommand("expand")->get_option(option)->get_description() ==
          description({"check"}, option));
  }
  CHECK(description({"sweep", "show"}, "--control") == description({"sweep", "start"}, "--control"));
  CHECK(description({"status"}, "--control") == description({"sweep", "start"}, "--control"));
}
