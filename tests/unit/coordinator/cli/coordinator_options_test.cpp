// mxsentry-coordinator: a setting the command line refuses is refused in the TOML file too.
#include <catch2/catch.hpp>

#include <stdexcept>

#include <toml++/toml.h>

#include "coordinator/cli/coordinator_options.h"
#include "tests/unit/coordinator/cli/cli_parse.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

bool flag_accepts(const std::string& flag, const std::string& value) {
  CoordinatorOptions options;
  std::string config;
  CLI::App app{"mxsentry-coordinator"};
  add_coordinator_options(app, options, config);
  return test::parse_into(app, {flag, value}).accepted();
}

bool file_accepts(const std::string& key, const std::string& value) {
  test::TempFile file(key + " = " + value + "\n");
  CoordinatorOptions options;
  return test::succeeds([&] { read_coordinator_config(file.path(), options); });
}

}  // namespace

TEST_CASE("coordinator options: the flags and the file share their limits", "[cli]") {
  struct Case {
    std::string flag, key;
    SettingBounds bounds;
  };
  auto c = GENERATE(Case{"--unit-size", "unit_size", unit_size_bounds}, Case{"--lease-ms", "lease_ms", lease_ms_bounds},
                    Case{"--heartbeat-ms", "heartbeat_ms", heartbeat_ms_bounds},
                    Case{"--truth-wait-ms", "truth_wait_ms", truth_wait_ms_bounds});
  for (std::int64_t value : {c.bounds.min - 1, c.bounds.min, c.bounds.max, c.bounds.max + 1}) {
    bool valid = value >= c.bounds.min && value <= c.bounds.max;
    INFO(c.flag << " " << value);
    CHECK(flag_accepts(c.flag, std::to_string(value)) == valid);
    CHECK(file_accepts(c.key, std::to_string(value)) == valid);
  }
}

TEST_CASE("coordinator options: the file names the key and the range it wanted", "[cli]") {
  test::TempFile file("heartbeat_ms = 10\n");
  CoordinatorOptions options;
  CHECK_THROWS_WITH(read_coordinator_config(file.path(), options),
                    Catch::Contains("heartbeat_ms: expected an integer from 50 to 60000"));
}

TEST_CASE("coordinator options: values within the limits are kept, unknown keys refused", "[cli]") {
  test::TempFile file("unit_size = 20000\nlease_ms = 100\nmissed_heartbeats = 4\n");
  CoordinatorOptions options;
  read_coordinator_config(file.path(), options);
  CHECK(options.unit_size == 20000);
  CHECK(options.ledger.lease_ms == 100);
  CHECK(options.ledger.missed_heartbeats == 4);
  CHECK_FALSE(file_accepts("lease", "100"));
  CHECK_FALSE(flag_accepts("--lease", "100"));
}

TEST_CASE("coordinator options: a count that would wrap is refused, not read modulo 2^32", "[cli]") {
  CHECK_FALSE(file_accepts("missed_heartbeats", "4294967297"));
  CHECK_FALSE(file_accepts("missed_heartbeats", "0"));
  CHECK(file_accepts("missed_heartbeats", "4294967295"));
  CHECK_FALSE(file_accepts("all_deadline_ms", "-1"));
}

TEST_CASE("coordinator options: --config FILE and --config=FILE both name the file", "[cli]") {
  auto found = [](std::vector<const char*> args) {
    args.insert(args.begin(), "mxsentry-coordinator");
    return config_file_argument(static_cast<int>(args.size()), args.data());
  };
  CHECK(found({"--config", "a.toml"}) == std::optional<std::string>("a.toml"));
  // Once ignored: the file's settings were silently not read.
  CHECK(found({"--insecure", "--config=b.toml"}) == std::optional<std::string>("b.toml"));
  CHECK(found({"--config=a.toml", "--config", "c.toml"}) == std::optional<std::string>("c.toml"));
  CHECK(found({"--config=", "--db", "x"}) == std::optional<std::string>(""));
  CHECK(found({"--db", "x.db"}) == std::nullopt);
  CHECK(found({"--config"}) == std::nullopt);  // no value: the parser says so
  CHECK(found({"--", "--config=d.toml"}) == std::nullopt);
}

TEST_CASE("coordinator options: text read as a file is, errors naming its source", "[cli]") {
  CoordinatorOptions options;
  read_coordinator_config_text("unit_size = 7\ninsecure = true\n", "given.toml", options);
  CHECK(options.unit_size == 7);
  CHECK(options.insecure);
  CHECK_THROWS_WITH(read_coordinator_config_text("missed_heartbeats = 4294967297\n", "given.toml", options),
                    Catch::Contains("given.toml: missed_heartbeats"));
  CHECK_THROWS_AS(read_coordinator_config_text("unit_size = \n", "given.toml", options), toml::parse_error);
}
