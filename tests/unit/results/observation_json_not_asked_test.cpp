// A task not asked as a JSON line: outcome not-asked, its reason code, and the text why.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "prober/core/not_asked.h"
#include "results/observation_json.h"

using namespace mxsentry;
using nlohmann::json;

TEST_CASE("append_observation_json: a task not asked says so, with its reason", "[results][json]") {
  Observation o = not_asked(Task{*Endpoint::parse("10.0.0.53"), "mx.example.", 1, 5}, NotAskedReason::private_refused,
                            1'790'000'000'000, "private-use (10.0.0.0/8)");
  std::string line;
  append_observation_json(line, o);
  REQUIRE(!line.empty());
  CHECK(line.back() == '\n');
  json j = json::parse(line);
  CHECK(j["outcome"] == "not-asked");
  CHECK(j["reason"] == "private-refused");
  CHECK(j["error"] == "not asked: private address refused by this vantage: private-use (10.0.0.0/8)");
  CHECK(j["rcode"].is_null());
  CHECK(j["rtt_ms"].is_null());
  CHECK(j["attempts"] == 0);
  CHECK(j["task"] == 5);

  // Only a task not asked has a reason.
  Observation timeout = o;
  timeout.outcome = Outcome::timeout;
  timeout.not_asked.reset();
  timeout.error.clear();
  std::string other;
  append_observation_json(other, timeout);
  CHECK_FALSE(json::parse(other).contains("reason"));
}
