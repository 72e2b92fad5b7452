// Re-ask units: flagged answers only, from a vantage still connected, bound to it, in units;
// a gone vantage's asked by any prober where its resolver is open, once per question.
#include <catch2/catch.hpp>

#include <algorithm>

#include "coordinator/sweep/reask_plan.h"

using namespace mxsentry;

namespace {

Verdict verdict(const std::string& vantage, const char* resolver, VerdictClass cls) {
  Verdict v;
  v.vantage = vantage;
  v.resolver = *Endpoint::parse(resolver);
  v.qname = "MX.Example.";
  v.qtype = 15;
  v.verdict = cls;
  return v;
}

}  // namespace

TEST_CASE("re-ask plan: each connected vantage asks its flagged answers again, in units", "[sweep]") {
  std::vector<Verdict> verdicts = {verdict("vp1", "192.0.2.1", VerdictClass::poisoned),
                                   verdict("vp1", "192.0.2.2", VerdictClass::consistent),
                                   verdict("vp1", "192.0.2.3", VerdictClass::suspicious),
                                   verdict("vp1", "192.0.2.4", VerdictClass::poisoned),
                                   verdict("gone", "192.0.2.5", VerdictClass::poisoned)};
  auto units = plan_reask(verdicts, [](const std::string& v) { return v == "vp1"; }, {}, 2);
  REQUIRE(units.size() == 2);
  CHECK(units[0].owner == "vp1");
  CHECK(units[1].owner == "vp1");
  REQUIRE(units[0].tasks.size() == 2);
  REQUIRE(units[1].tasks.size() == 1);
  CHECK(units[0].tasks[0] == protocol::WorkTask{0, "192.0.2.1", "mx.example.", 15});
  CHECK(units[0].tasks[1].index == 1);
  CHECK(units[0].tasks[1].resolver == "192.0.2.3");
  CHECK(units[1].tasks[0] == protocol::WorkTask{0, "192.0.2.4", "mx.example.", 15});
  CHECK(plan_reask({verdicts[1]}, [](const std::string&) { return true; }, {}, 2).empty());
}

TEST_CASE("re-ask plan: a gone vantage's flagged answers go to any prober where the resolver is open", "[sweep]") {
  std::vector<Verdict> verdicts = {verdict("vp1", "192.0.2.1", VerdictClass::poisoned),
                                   verdict("gone", "192.0.2.1", VerdictClass::poisoned),   // vp1 asks it already
                                   verdict("gone", "192.0.2.5", VerdictClass::poisoned),
                                   verdict("gone", "192.0.2.6", VerdictClass::suspicious),  // its local resolver
                                   verdict("gone", "192.0.2.7", VerdictClass::consistent),
                                   verdict("gone2", "192.0.2.5", VerdictClass::poisoned)};  // asked once
  std::vector<std::pair<std::string, std::string>> asked;
  auto elsewhere = [&](const std::string& vantage, const Endpoint& resolver) {
    asked.emplace_back(vantage, resolver.to_string());
    return resolver.to_string() != "192.0.2.6";
  };
  auto units = plan_reask(verdicts, [](const std::string& v) { return v == "vp1"; }, elsewhere, 10);
  REQUIRE(units.size() == 2);
  CHECK(units[0].owner == "vp1");
  CHECK(units[0].tasks == std::vector<protocol::WorkTask>{{0, "192.0.2.1", "mx.example.", 15}});
  CHECK_FALSE(units[1].owner.has_value());  // any prober the sweep may run on
  CHECK(units[1].tasks == std::vector<protocol::WorkTask>{{0, "192.0.2.5", "mx.example.", 15}});
  // Each gone vantage's flagged answer was offered, with its own vantage; the consistent one not.
  CHECK(asked.size() == 4);
  CHECK(std::count(asked.begin(), asked.end(), std::pair<std::string, std::string>{"gone", "192.0.2.6"}) == 1);
  CHECK(std::count(asked.begin(), asked.end(), std::pair<std::string, std::string>{"gone2", "192.0.2.5"}) == 1);

  // Nobody to ask in its place: judged without a second look, as before.
  auto alone = plan_reask(verdicts, [](const std::string& v) { return v == "vp1"; },
                          [](const std::string&, const Endpoint&) { return false; }, 10);
  REQUIRE(alone.size() == 1);
  CHECK(alone[0].owner == "vp1");
  CHECK(plan_reask({verdicts[2]}, [](const std::string&) { return false; }, {}, 10).empty());
}
