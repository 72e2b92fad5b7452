// Sweep definitions from the coordinator's TOML file: defaults, every key, every mistake named.
#include <catch2/catch.hpp>

#include <stdexcept>

#include <toml++/toml.h>

#include "coordinator/sweep/sweep_definition.h"

using namespace mxsentry;

namespace {

std::vector<SweepDefinition> parse(std::string_view text) {
  toml::table t = toml::parse(text);
  const toml::node* sweeps = t.get("sweep");
  REQUIRE(sweeps);
  return parse_sweep_definitions(*sweeps, "c.toml");
}

std::string error_of(std::string_view text) {
  try {
    parse(text);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  FAIL("no error for:\n" << text);
  return {};
}

/// A valid sweep with one more line.
std::string sweep_with(const std::string& line) {
  return "[[sweep]]\nname = \"ok\"\ntargets = \"t.txt\"\nresolvers = \"r.txt\"\n[[sweep]]\nname = \"nightly\"\n"
         "targets = \"t.txt\"\nresolvers = \"r.txt\"\n" + line + "\n";
}

}  // namespace

TEST_CASE("sweep definitions: the required keys and the defaults", "[sweep]") {
  auto d = parse(R"(
[[sweep]]
name = "mail-hosts"
targets = "/etc/mxsentry/targets.txt"
resolvers = "/etc/mxsentry/resolvers.csv"
)");
  REQUIRE(d.size() == 1);
  SweepDefinition defaults;
  CHECK(d[0].name == "mail-hosts");
  CHECK(d[0].targets_path == "/etc/mxsentry/targets.txt");
  CHECK(d[0].resolvers_path == "/etc/mxsentry/resolvers.csv");
  CHECK(d[0].types == "A,AAAA");
  CHECK(d[0].assignment == "shard");
  CHECK(d[0].probers.required.empty());
  CHECK(d[0].interval_ms == 0);
  CHECK(d[0].per_resolver_qps == defaults.per_resolver_qps);
  CHECK(d[0].timeout_ms == 2000);
  CHECK(d[0].retries == 2);
  CHECK_FALSE(d[0].allow_private);
  CHECK(d[0].local_resolvers);
}

TEST_CASE("sweep definitions: every key", "[sweep]") {
  auto d = parse(R"(
[[sweep]]
name = "a.b_c-1"
targets = "t.txt"
resolvers = "r.txt"
types = "A,AAAA,MX"
assignment = "all"
probers = "country=NL, asn=1136"
interval = "6h"
per_resolver_qps = 2.5
timeout_ms = 100
retries = 0
allow_private = true
local_resolvers = false

[[sweep]]
name = "second"
targets = "t2.txt"
resolvers = "r2.txt"
probers = ["kind=isp", "country=DE"]
interval = 90
per_resolver_qps = 1000
timeout_ms = 30000
retries = 5
)");
  REQUIRE(d.size() == 2);
  CHECK(d[0].name == "a.b_c-1");
  CHECK(d[0].types == "A,AAAA,MX");
  CHECK(d[0].assignment == "all");
  CHECK(d[0].probers.to_string() == "asn=1136,country=NL");
  CHECK(d[0].interval_ms == 21'600'000);
  CHECK(d[0].per_resolver_qps == 2.5);
  CHECK(d[0].timeout_ms == 100);
  CHECK(d[0].retries == 0);
  CHECK(d[0].allow_private);
  CHECK_FALSE(d[0].local_resolvers);
  CHECK(d[1].name == "second");
  CHECK(d[1].probers.to_string() == "country=DE,kind=isp");
  CHECK(d[1].interval_ms == 90'000);
  CHECK(d[1].per_resolver_qps == 1000);
  CHECK(d[1].timeout_ms == 30000);
  CHECK(d[1].retries == 5);
}

TEST_CASE("sweep definitions: intervals", "[sweep]") {
  CHECK(parse(sweep_with("interval = 0"))[1].interval_ms == 0);
  CHECK(parse(sweep_with("interval = 1"))[1].interval_ms == 1000);
  CHECK(parse(sweep_with("interval = \"1s\""))[1].interval_ms == 1000);
  CHECK(parse(sweep_with("interval = \"1500ms\""))[1].interval_ms == 1500);
  CHECK(parse(sweep_with("interval = \"1d\""))[1].interval_ms == 86'400'000);
  const std::string want =
      "c.toml: sweep 2 (nightly): interval: expected a duration such as \"6h\", \"15m\", \"90s\" (at least 1 s) "
      "or a whole number of seconds (0: only on request)";
  for (const char* bad : {"interval = \"500ms\"", "interval = \"0s\"", "interval = \"6 hours\"", "interval = -1",
                          "interval = 1.5", "interval = true", "interval = 9223372036854775807"})
    CHECK(error_of(sweep_with(bad)) == want);
}

TEST_CASE("sweep definitions: no sweeps, or an empty array", "[sweep]") {
  CHECK(parse("sweep = []").empty());
}

TEST_CASE("sweep definitions: an unknown key names the sweep and the key", "[sweep]") {
  CHECK(error_of(sweep_with("interval_s = 60")) == "c.toml: sweep 2 (nightly): interval_s: unknown key");
}

TEST_CASE("sweep definitions: wrong types and values out of range", "[sweep]") {
  auto check = [](const std::string& line, const std::string& key, const std::string& expected) {
    CHECK(error_of(sweep_with(line)) == "c.toml: sweep 2 (nightly): " + key + ": expected " + expected);
  };
  const std::string first = "[[sweep]]\nname = \"ok\"\ntargets = \"t\"\nresolvers = \"r\"\n[[sweep]]\nname = \"nightly\"\n";
  const std::string path_rule = "c.toml: sweep 2 (nightly): targets: expected the path of a names file";
  CHECK(error_of(first + "targets = 5\nresolvers = \"r\"\n") == path_rule);
  CHECK(error_of(first + "targets = \"\"\nresolvers = \"r\"\n") == path_rule);
  CHECK(error_of(first + "targets = \"t\"\nresolvers = [\"r.txt\"]\n") ==
        "c.toml: sweep 2 (nightly): resolvers: expected the path of a resolver list");
  check("types = \"A,AAA\"", "types", "record types separated by commas, such as \"A,AAAA\" (unknown record type 'AAA')");
  check("types = \"A,,AAAA\"", "types", "record types separated by commas, such as \"A,AAAA\" (unknown record type '')");
  check("types = \"\"", "types", "record types separated by commas, such as \"A,AAAA\" (unknown record type '')");
  check("types = 1", "types", "record types separated by commas, such as \"A,AAAA\"");
  check("assignment = \"some\"", "assignment", "\"all\" or \"shard\"");
  check("per_resolver_qps = 0", "per_resolver_qps", "a number of queries per second above 0, at most 1000");
  check("per_resolver_qps = 1000.5", "per_resolver_qps", "a number of queries per second above 0, at most 1000");
  check("per_resolver_qps = nan", "per_resolver_qps", "a number of queries per second above 0, at most 1000");
  check("per_resolver_qps = \"5\"", "per_resolver_qps", "a number of queries per second above 0, at most 1000");
  check("timeout_ms = 99", "timeout_ms", "an integer from 100 to 30000");
  check("timeout_ms = 30001", "timeout_ms", "an integer from 100 to 30000");
  check("timeout_ms = 2000.0", "timeout_ms", "an integer from 100 to 30000");
  check("retries = 6", "retries", "an integer from 0 to 5");
  check("retries = -1", "retries", "an integer from 0 to 5");
  check("allow_private = 1", "allow_private", "true or false");
  check("local_resolvers = \"yes\"", "local_resolvers", "true or false");
}

TEST_CASE("sweep definitions: bad prober selectors", "[sweep]") {
  const std::string rule = "tags such as \"country=NL,asn=1136\" or [\"country=NL\", \"asn=1136\"]";
  auto error = [](const std::string& line) { return error_of(sweep_with(line)); };
  const std::string at = "c.toml: sweep 2 (nightly): probers: expected ";
  CHECK(error("probers = \"country\"") == at + rule + " (prober selector: 'country': expected k=v)");
  CHECK(error("probers = [\"a=1\", \"a=2\"]") == at + rule + " (prober selector: 'a=2': duplicate key 'a')");
  CHECK(error("probers = [\"a=1\", \"=2\"]") == at + rule + " (prober selector: '=2': empty key)");
  CHECK(error("probers = [\"a=1\", \"\"]") == at + rule + " (prober selector: empty item (expected k=v))");
  CHECK(error("probers = [\"a=1,b=2\"]") == at + rule);  // one tag an item
  CHECK(error("probers = [1]") == at + rule);
  CHECK(error("probers = 1") == at + rule);
  CHECK(parse(sweep_with("probers = \"\""))[1].probers.required.empty());
  CHECK(parse(sweep_with("probers = []"))[1].probers.required.empty());
}

TEST_CASE("sweep definitions: names are required, well formed and unique", "[sweep]") {
  const std::string rule = "a name of 1 to 64 letters, digits, '.', '_' or '-'";
  CHECK(error_of("[[sweep]]\ntargets = \"t\"\nresolvers = \"r\"\n") == "c.toml: sweep 1: name: expected " + rule + " (missing)");
  CHECK(error_of("[[sweep]]\nname = \"has space\"\n") == "c.toml: sweep 1: name: expected " + rule);
  CHECK(error_of("[[sweep]]\nname = \"\"\n") == "c.toml: sweep 1: name: expected " + rule);
  CHECK(error_of("[[sweep]]\nname = 7\n") == "c.toml: sweep 1: name: expected " + rule);
  CHECK(error_of("[[sweep]]\nname = \"" + std::string(65, 'x') + "\"\n") == "c.toml: sweep 1: name: expected " + rule);
  CHECK(parse("[[sweep]]\nname = \"" + std::string(64, 'x') + "\"\ntargets = \"t\"\nresolvers = \"r\"\n")[0].name.size() == 64);
  CHECK(error_of("[[sweep]]\nname = \"ok\"\ntargets = \"t\"\nresolvers = \"r\"\n[[sweep]]\nname = \"ok\"\n") ==
        "c.toml: sweep 2 (ok): name: expected a unique name (sweep 1 has it too)");
}

TEST_CASE("sweep definitions: targets and resolvers are required", "[sweep]") {
  CHECK(error_of("[[sweep]]\nname = \"n\"\nresolvers = \"r\"\n") ==
        "c.toml: sweep 1 (n): targets: expected the path of a names file (missing)");
  CHECK(error_of("[[sweep]]\nname = \"n\"\ntargets = \"t\"\n") ==
        "c.toml: sweep 1 (n): resolvers: expected the path of a resolver list (missing)");
}

TEST_CASE("sweep definitions: sweep must be an array of tables", "[sweep]") {
  CHECK(error_of("[sweep]\nname = \"n\"\n") == "c.toml: sweep: expected an array of tables ([[sweep]])");
  CHECK(error_of("sweep = \"n\"") == "c.toml: sweep: expected an array of tables ([[sweep]])");
  CHECK(error_of("sweep = [1]") == "c.toml: sweep 1: expected a table ([[sweep]])");
  CHECK(parse("sweep = [{name = \"n\", targets = \"t\", resolvers = \"r\"}]")[0].name == "n");
}
