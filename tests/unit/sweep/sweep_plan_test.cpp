// Sweeps cut into units: every task once (shard) or once per vantage (all).
#include <catch2/catch.hpp>

#include <set>

#include "coordinator/sweep/sweep_plan.h"

using namespace mxsentry;

TEST_CASE("sweep plan: shard mode covers every task once in bounded units", "[sweep]") {
  SweepRequest r;
  r.resolvers = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  r.questions = {{"a.example.", 1}, {"a.example.", 28}, {"b.example.", 1}};
  r.unit_size = 4;
  auto units = plan_units(r);
  REQUIRE(units.size() == 3);  // 9 tasks: 4 + 4 + 1
  CHECK(units[2].tasks.size() == 1);
  std::set<std::string> seen;
  for (const auto& u : units) {
    CHECK_FALSE(u.owner);
    for (std::size_t i = 0; i < u.tasks.size(); ++i) {
      CHECK(u.tasks[i].index == i);
      seen.insert(u.tasks[i].resolver + " " + u.tasks[i].qname + " " + std::to_string(u.tasks[i].qtype));
    }
  }
  CHECK(seen.size() == 9);
  // Consecutive tasks go to different resolvers.
  CHECK(units[0].tasks[0].resolver != units[0].tasks[1].resolver);
}

TEST_CASE("sweep plan: all mode gives each vantage its own copy", "[sweep]") {
  SweepRequest r;
  r.assignment = Assignment::all;
  r.resolvers = {"192.0.2.1"};
  r.questions = {{"a.example.", 1}, {"b.example.", 1}};
  r.vantages = {"vp1", "vp2"};
  auto units = plan_units(r);
  REQUIRE(units.size() == 2);
  CHECK(units[0].owner == std::string("vp1"));
  CHECK(units[1].owner == std::string("vp2"));
  CHECK(units[0].tasks == units[1].tasks);
}

TEST_CASE("sweep plan: nothing to do is an error", "[sweep]") {
  SweepRequest r;
  r.questions = {{"a.example.", 1}};
  CHECK_THROWS_AS(plan_units(r), std::invalid_argument);
  r.resolvers = {"192.0.2.1"};
  r.assignment = Assignment::all;
  CHECK_THROWS_WITH(plan_units(r), "assignment 'all' needs at least one connected prober");
}
