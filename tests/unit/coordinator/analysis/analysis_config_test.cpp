// The thresholds file: defaults, overrides, and every kind of mistake named clearly.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "coordinator/analysis/analysis_config.h"

using namespace mxsentry;

TEST_CASE("analysis config: an empty file keeps every default", "[analysis]") {
  AnalysisConfig c = parse_analysis_config("", "t.toml");
  AnalysisConfig d;
  CHECK(c.weights == d.weights);
  CHECK(c.poisoned_at == d.poisoned_at);
  CHECK(c.reask_delay_ms == d.reask_delay_ms);
}

TEST_CASE("analysis config: keys override the defaults", "[analysis]") {
  AnalysisConfig c = parse_analysis_config(R"(
[verdict]
poisoned_at = 0.9
suspicious_at = 0.5
[weights]
"not-in-truth" = 0.25
same-asn = -0.5
[rare_answer]
max_resolvers = 10
max_share = 0.01
[same_prefix]
ipv4_length = 16
ipv6_length = 32
[ttl]
slack_seconds = 5
countdown_tolerance_seconds = 3
[reask]
delay_ms = 0
)", "t.toml");
  CHECK(c.poisoned_at == 0.9);
  CHECK(c.suspicious_at == 0.5);
  CHECK(c.weight(Evidence::not_in_truth) == 0.25);
  CHECK(c.weight(Evidence::same_asn) == -0.5);
  CHECK(c.weight(Evidence::asn_mismatch) == 0.5);  // untouched default
  CHECK(c.rare_max_resolvers == 10);
  CHECK(c.rare_max_share == 0.01);
  CHECK(c.same_prefix_v4 == 16);
  CHECK(c.same_prefix_v6 == 32);
  CHECK(c.ttl_slack_seconds == 5);
  CHECK(c.countdown_tolerance_seconds == 3);
  CHECK(c.reask_delay_ms == 0);
}

TEST_CASE("analysis config: mistakes are errors naming the key", "[analysis]") {
  auto error_of = [](const std::string& text) {
    try {
      parse_analysis_config(text, "t.toml");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("[verdict]\npoisoned_at = 1.5\n") == "t.toml: verdict.poisoned_at: out of range [0, 1]");
  // NaN passes every comparison; nan as a weight made every forged record of the lab a variation.
  CHECK(error_of("[verdict]\npoisoned_at = nan\n") == "t.toml: verdict.poisoned_at: out of range [0, 1]");
  CHECK(error_of("[weights]\nnot-in-truth = nan\n") == "t.toml: weights.not-in-truth: out of range [-1, 1]");
  CHECK(error_of("[weights]\nsame-asn = -nan\n") == "t.toml: weights.same-asn: out of range [-1, 1]");
  CHECK(error_of("[rare_answer]\nmax_share = inf\n") == "t.toml: rare_answer.max_share: out of range [0, 1]");
  CHECK(error_of("[verdict]\npoisoned_at = \"high\"\n") == "t.toml: verdict.poisoned_at: expected a number");
  CHECK(error_of("[verdict]\npoisond_at = 0.9\n") == "t.toml: verdict.poisond_at: unknown key");
  CHECK(error_of("[weights]\nnot-a-code = 0.1\n") == "t.toml: weights.not-a-code: not an evidence code");
  CHECK(error_of("[rare_answer]\nmax_resolvers = 1.5\n") == "t.toml: rare_answer.max_resolvers: expected an integer");
  CHECK(error_of("[same_prefix]\nipv4_length = 33\n") == "t.toml: same_prefix.ipv4_length: out of range [1, 32]");
  CHECK(error_of("verdict = 3\n") == "t.toml: verdict: expected a table");
  CHECK(error_of("[nonsense]\n") == "t.toml: nonsense: unknown key");
  CHECK(error_of("[verdict]\npoisoned_at = 0.3\nsuspicious_at = 0.5\n") ==
        "t.toml: verdict.suspicious_at: must not be above verdict.poisoned_at");
  CHECK(error_of("[verdict\n").rfind("t.toml:1: ", 0) == 0);
}

TEST_CASE("analysis config: docs/thresholds.toml states exactly the built-in defaults", "[analysis]") {
  AnalysisConfig documented = load_analysis_config(MXSENTRY_SOURCE_DIR "/docs/thresholds.toml");
  AnalysisConfig built_in;
  CHECK(documented.weights == built_in.weights);
  CHECK(documented.poisoned_at == built_in.poisoned_at);
  CHECK(documented.suspicious_at == built_in.suspicious_at);
  CHECK(documented.rare_max_resolvers == built_in.rare_max_resolvers);
  CHECK(documented.rare_max_share == built_in.rare_max_share);
  CHECK(documented.same_prefix_v4 == built_in.same_prefix_v4);
  CHECK(documented.same_prefix_v6 == built_in.same_prefix_v6);
  CHECK(documented.ttl_slack_seconds == built_in.ttl_slack_seconds);
  CHECK(documented.countdown_tolerance_seconds == built_in.countdown_tolerance_seconds);
  CHECK(documented.reask_delay_ms == built_in.reask_delay_ms);
  CHECK_THROWS_AS(load_analysis_config("/nonexistent/thresholds.toml"), ConfigError);
}

TEST_CASE("analysis config: a directory is not a thresholds file (it once meant the defaults)", "[analysis]") {
  try {
    load_analysis_config(MXSENTRY_SOURCE_DIR "/docs");
    FAIL("no ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == MXSENTRY_SOURCE_DIR "/docs: cannot read the file (it is a directory)");
  }
}
