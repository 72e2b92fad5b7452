// Sweeps cut into units: every task once (shard) or once per vantage (all), and each vantage's
// local resolvers asked from that vantage.
#include <catch2/catch.hpp>

#include <optional>
#include <set>

#include "coordinator/sweep/sweep_plan.h"

using namespace mxsentry;

namespace {

/// The plan's units with their tasks listed (built from their ranges), as the tests compare them.
std::vector<UnitPlan> listed_units(const SweepRequest& r) {
  SweepPlan plan = plan_units(r);
  std::vector<UnitPlan> out;
  for (const auto& u : plan.units) {
    CHECK(u.tasks.empty());  // planned as ranges, never listed
    CHECK(range_fits(plan.space, u.range));
    out.push_back(UnitPlan{u.owner, unit_tasks(plan.space, u), {}});
  }
  return out;
}

}  // namespace

TEST_CASE("sweep plan: shard mode covers every task once in bounded units", "[sweep]") {
  SweepRequest r;
  r.resolvers = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  r.questions = {{"a.example.", 1}, {"a.example.", 28}, {"b.example.", 1}};
  r.unit_size = 4;
  auto units = listed_units(r);
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
  auto units = listed_units(r);
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

namespace {

/// Every task of `units` owned by `owner` (nullopt: unowned) as "resolver name type".
std::multiset<std::string> tasks_of(const std::vector<UnitPlan>& units, const std::optional<std::string>& owner) {
  std::multiset<std::string> out;
  for (const auto& u : units) {
    if (u.owner != owner) continue;
    for (std::size_t i = 0; i < u.tasks.size(); ++i) {
      CHECK(u.tasks[i].index == i);
      out.insert(u.tasks[i].resolver + " " + u.tasks[i].qname + " " + std::to_string(u.tasks[i].qtype));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("sweep plan: shard mode asks each vantage's local resolvers from that vantage", "[sweep]") {
  SweepRequest r;
  r.resolvers = {"192.0.2.1", "192.0.2.2"};
  r.questions = {{"a.example.", 1}, {"b.example.", 1}};
  r.unit_size = 3;
  r.local_resolvers = {{"vp1", {"10.0.0.1", "10.0.0.2", "192.0.2.1", "10.0.0.1"}},
                       {"vp2", {"10.0.0.1"}},
                       {"gone", {"10.9.9.9"}},  // not among `vantages`: shard mode still plans it
                       {"none", {}}};
  r.vantages = {"vp1", "vp2"};
  auto units = listed_units(r);
  CHECK(tasks_of(units, std::nullopt) ==
        std::multiset<std::string>{"192.0.2.1 a.example. 1", "192.0.2.2 a.example. 1", "192.0.2.1 b.example. 1",
                                   "192.0.2.2 b.example. 1"});
  // A shared resolver is asked from vp1 too, and a repeated one once.
  CHECK(tasks_of(units, std::string("vp1")) ==
        std::multiset<std::string>{"10.0.0.1 a.example. 1", "10.0.0.2 a.example. 1", "192.0.2.1 a.example. 1",
                                   "10.0.0.1 b.example. 1", "10.0.0.2 b.example. 1", "192.0.2.1 b.example. 1"});
  CHECK(tasks_of(units, std::string("vp2")) ==
        std::multiset<std::string>{"10.0.0.1 a.example. 1", "10.0.0.1 b.example. 1"});
  CHECK(tasks_of(units, std::string("gone")) ==
        std::multiset<std::string>{"10.9.9.9 a.example. 1", "10.9.9.9 b.example. 1"});
  CHECK(tasks_of(units, std::string("none")).empty());
  // Bounded units, each with one owner; shared units first, then each vantage's in name order.
  std::vector<std::optional<std::string>> owners;
  for (const auto& u : units) {
    CHECK(!u.tasks.empty());
    CHECK(u.tasks.size() <= 3);
    owners.push_back(u.owner);
  }
  CHECK(owners == std::vector<std::optional<std::string>>{std::nullopt, std::nullopt, std::string("gone"),
                                                          std::string("vp1"), std::string("vp1"), std::string("vp2")});
  // Local units interleave resolvers like the rest.
  const auto& vp1 = units[3];
  CHECK(vp1.tasks[0].resolver != vp1.tasks[1].resolver);
  CHECK(vp1.tasks[1].resolver != vp1.tasks[2].resolver);
}

TEST_CASE("sweep plan: all mode adds local resolvers only for listed vantages, shared ones once", "[sweep]") {
  SweepRequest r;
  r.assignment = Assignment::all;
  r.resolvers = {"192.0.2.1"};
  r.questions = {{"a.example.", 1}, {"a.example.", 28}};
  r.vantages = {"vp2", "vp1"};
  r.local_resolvers = {{"vp1", {"192.0.2.1", "10.0.0.1"}}, {"vp3", {"10.0.0.3"}}};
  auto units = listed_units(r);
  CHECK(tasks_of(units, std::string("vp1")) ==
        std::multiset<std::string>{"192.0.2.1 a.example. 1", "192.0.2.1 a.example. 28", "10.0.0.1 a.example. 1",
                                   "10.0.0.1 a.example. 28"});
  CHECK(tasks_of(units, std::string("vp2")) ==
        std::multiset<std::string>{"192.0.2.1 a.example. 1", "192.0.2.1 a.example. 28"});
  CHECK(tasks_of(units, std::string("vp3")).empty());  // not connected: its resolvers are not asked
  CHECK(tasks_of(units, std::nullopt).empty());
  // Grouped by vantage in `vantages` order: a vantage's copies, then its own units.
  REQUIRE(units.size() == 3);
  CHECK(units[0].owner == std::string("vp2"));
  CHECK(units[1].owner == std::string("vp1"));
  CHECK(units[1].tasks == units[0].tasks);
  CHECK(units[2].owner == std::string("vp1"));
  CHECK(units[2].tasks[0].resolver == "10.0.0.1");
}

TEST_CASE("sweep plan: local resolvers alone are enough", "[sweep]") {
  SweepRequest r;
  r.questions = {{"a.example.", 1}};
  r.local_resolvers = {{"vp1", {"10.0.0.1"}}};
  auto units = listed_units(r);
  REQUIRE(units.size() == 1);
  CHECK(units[0].owner == std::string("vp1"));
  CHECK(units[0].tasks.size() == 1);
  r.assignment = Assignment::all;
  r.vantages = {"vp1"};
  CHECK(plan_units(r).units.size() == 1);
}

TEST_CASE("sweep plan: no task at all is still an error", "[sweep]") {
  SweepRequest r;
  r.questions = {{"a.example.", 1}};
  r.local_resolvers = {{"vp1", {}}};
  CHECK_THROWS_WITH(plan_units(r), "no resolvers to ask");
  r.assignment = Assignment::all;
  r.local_resolvers = {{"vp1", {"10.0.0.1"}}};
  r.vantages = {"vp2"};  // vp1's resolvers, but vp1 is not taking part
  CHECK_THROWS_WITH(plan_units(r), "no resolvers to ask");
  r.vantages.clear();
  CHECK_THROWS_WITH(plan_units(r), "assignment 'all' needs at least one connected prober");
  r.assignment = Assignment::shard;
  r.questions.clear();
  CHECK_THROWS_WITH(plan_units(r), "no names to ask about");
  r.questions = {{"a.example.", 1}};
  r.unit_size = 0;
  CHECK_THROWS_WITH(plan_units(r), "unit size 0");
}

TEST_CASE("sweep plan: inputs are interned once, whatever the number of tasks", "[sweep]") {
  SweepRequest r;
  r.assignment = Assignment::all;
  for (int i = 0; i < 1000; ++i) r.resolvers.push_back("192.0.2." + std::to_string(i % 250) + "#" + std::to_string(1000 + i));
  for (int i = 0; i < 100; ++i) r.questions.push_back({"n" + std::to_string(i) + ".example.", 1});
  r.vantages = {"vp1", "vp2"};
  r.unit_size = 500;
  SweepPlan plan = plan_units(r);
  // 100,000 tasks per vantage; the space holds 1,000 resolvers and 100 questions, once.
  CHECK(plan.space.resolvers.size() == 1000);
  CHECK(plan.space.endpoints.size() == 1000);
  CHECK(plan.space.questions.size() == 100);
  REQUIRE(plan.units.size() == 400);
  std::uint64_t tasks = 0;
  for (const auto& u : plan.units) tasks += u.task_count();
  CHECK(tasks == 200000);
  CHECK(plan.units[199].range == plan.units[399].range);  // vp1's last copy is vp2's last
}
