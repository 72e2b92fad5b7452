// Leases, credit, liveness and idempotent results, on a fake clock.
#include <catch2/catch.hpp>

#include "coordinator/sweep/work_ledger.h"

using namespace mxsentry;

namespace {

LedgerConfig config() {
  LedgerConfig c;
  c.lease_ms = 10'000;
  c.heartbeat_ms = 1'000;
  c.missed_heartbeats = 3;
  return c;
}

std::vector<std::uint64_t> units(const std::vector<Lease>& leases) {
  std::vector<std::uint64_t> out;
  for (const auto& l : leases) out.push_back(l.unit);
  return out;
}

}  // namespace

TEST_CASE("ledger: a prober gets at most its credit of units, lowest first", "[sweep]") {
  WorkLedger ledger(config());
  for (std::uint64_t u = 1; u <= 5; ++u) ledger.add_unit(u, 2);
  CHECK(ledger.assign("vp1", 0).empty());  // unknown prober, no credit
  ledger.add_credit("vp1", 2, 0);
  auto leases = ledger.assign("vp1", 100);
  CHECK(units(leases) == std::vector<std::uint64_t>{1, 2});
  CHECK(ledger.holding("vp1") == 2);
  CHECK(ledger.holding("nobody") == 0);
  CHECK(leases[0].deadline_ms == 10'100);
  CHECK(ledger.assign("vp1", 100).empty());  // credit spent
  ledger.add_credit("vp2", 5, 100);
  CHECK(units(ledger.assign("vp2", 100)) == std::vector<std::uint64_t>{3, 4, 5});
  auto p = ledger.progress();
  CHECK(p.leased == 5);
  CHECK(p.pending == 0);
}

TEST_CASE("ledger: results count once, from the holder only", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 2);
  ledger.add_credit("vp1", 1, 0);
  ledger.assign("vp1", 0);
  CHECK(ledger.record_result("vp1", 1, 0, 1) == ResultFate::counted);
  CHECK(ledger.record_result("vp1", 1, 0, 2) == ResultFate::duplicate);
  CHECK(ledger.record_result("vp2", 1, 1, 2) == ResultFate::not_holder);
  CHECK(ledger.record_result("vp1", 1, 2, 2) == ResultFate::unknown_unit);  // no task 2
  CHECK(ledger.record_result("vp1", 9, 0, 2) == ResultFate::unknown_unit);
  CHECK_FALSE(ledger.finish("vp1", 1, 3));  // task 1 missing: back to the queue
  CHECK(ledger.progress().pending == 1);
  ledger.add_credit("vp1", 1, 4);
  ledger.assign("vp1", 4);
  CHECK(ledger.record_result("vp1", 1, 1, 5) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 1, 6));
  CHECK(ledger.complete());
  CHECK(ledger.progress().results == 2);
}

TEST_CASE("ledger: a lease that ends goes to another prober, and the late results are dropped", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 3);
  ledger.add_credit("stopped", 1, 0);
  ledger.assign("stopped", 0);
  CHECK(ledger.record_result("stopped", 1, 0, 500) == ResultFate::counted);
  ledger.add_credit("vp2", 1, 0);
  // "stopped" keeps heartbeating (SIGSTOP would not; see below) but sends no result: its lease,
  // renewed by the result at 500, runs out 10 s after it.
  for (std::int64_t t = 1'000; t <= 10'500; t += 500) {
    ledger.seen("stopped", t);
    ledger.seen("vp2", t);
    ledger.expire(t);
    if (t < 10'500) CHECK(ledger.holder(1) == std::string("stopped"));
  }
  CHECK_FALSE(ledger.holder(1));
  CHECK(units(ledger.assign("vp2", 10'500)) == std::vector<std::uint64_t>{1});
  CHECK(ledger.record_result("stopped", 1, 1, 10'550) == ResultFate::not_holder);  // late: dropped
  CHECK(ledger.record_result("vp2", 1, 0, 10'600) == ResultFate::duplicate);      // already counted
  CHECK(ledger.record_result("vp2", 1, 1, 10'700) == ResultFate::counted);
  CHECK(ledger.record_result("vp2", 1, 2, 10'800) == ResultFate::counted);
  CHECK_FALSE(ledger.finish("stopped", 1, 10'900));  // not the holder
  CHECK(ledger.finish("vp2", 1, 11'000));
  CHECK(ledger.progress().results == 3);  // nothing missing, nothing doubled
}

TEST_CASE("ledger: a prober silent for three heartbeats is dead and loses its units", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 1);
  ledger.add_unit(2, 1);
  ledger.add_credit("killed", 2, 0);
  ledger.assign("killed", 0);
  CHECK(ledger.expire(3'000).empty());  // exactly three intervals: still alive
  CHECK(ledger.expire(3'001) == std::vector<std::string>{"killed"});
  CHECK_FALSE(ledger.alive("killed"));
  CHECK(ledger.progress().pending == 2);
  ledger.add_credit("vp2", 2, 3'002);
  CHECK(units(ledger.assign("vp2", 3'002)) == std::vector<std::uint64_t>{1, 2});
  // The dead prober comes back: it starts afresh, with no units and no credit.
  CHECK(ledger.record_result("killed", 1, 0, 3'100) == ResultFate::not_holder);
  CHECK(ledger.alive("killed"));
  CHECK(ledger.assign("killed", 3'100).empty());
}

TEST_CASE("ledger: in all mode a unit waits for its own vantage", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 1, std::string("vp1"));
  ledger.add_unit(2, 1, std::string("vp2"));
  ledger.add_credit("vp2", 5, 0);
  CHECK(units(ledger.assign("vp2", 0)) == std::vector<std::uint64_t>{2});
  ledger.add_credit("vp1", 1, 0);
  CHECK(units(ledger.assign("vp1", 0)) == std::vector<std::uint64_t>{1});
  ledger.release("vp1");  // BYE
  CHECK(ledger.assign("vp2", 1).empty());  // unit 1 is vp1's alone
  ledger.add_credit("vp1", 1, 2);
  CHECK(units(ledger.assign("vp1", 2)) == std::vector<std::uint64_t>{1});
}

TEST_CASE("ledger: a restart restores what was done", "[sweep]") {
  WorkLedger ledger(config());
  ledger.restore_unit(1, 3, std::nullopt, {0, 2, 2, 7});  // duplicates and strays ignored
  ledger.restore_unit(2, 1, std::nullopt, {0});
  auto p = ledger.progress();
  CHECK(p.done == 1);
  CHECK(p.pending == 1);
  CHECK(p.results == 3);
  CHECK(ledger.task_done(1, 2));
  CHECK_FALSE(ledger.task_done(1, 1));
  ledger.add_credit("vp1", 9, 0);
  CHECK(units(ledger.assign("vp1", 0)) == std::vector<std::uint64_t>{1});
  CHECK(ledger.record_result("vp1", 1, 0, 1) == ResultFate::duplicate);
  CHECK(ledger.record_result("vp1", 1, 1, 1) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 1, 2));
  CHECK(ledger.complete());
}

TEST_CASE("ledger: a unit's own lease, HELLO resets credit, credit never above capacity", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 1, std::nullopt, 50'000);  // needs longer than the configured 10 s
  ledger.add_unit(2, 1);
  ledger.add_unit(3, 1);
  ledger.hello("vp1", 2, 0);
  ledger.add_credit("vp1", 5, 0);
  auto leases = ledger.assign("vp1", 0);
  REQUIRE(leases.size() == 2);  // capacity 2, whatever READY said
  CHECK(leases[0].deadline_ms == 50'000);
  CHECK(leases[1].deadline_ms == 10'000);
  ledger.add_credit("vp1", 1, 1);  // still holding two: no room
  CHECK(ledger.assign("vp1", 1).empty());
  ledger.hello("vp1", 2, 2);  // reconnected: credit again from READY only, units kept
  CHECK(ledger.holder(1) == std::string("vp1"));
  CHECK(ledger.assign("vp1", 2).empty());
}

TEST_CASE("ledger: a dropped unit leaves the queue and gives its holder the credit back", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 1);
  ledger.add_unit(2, 1);
  ledger.add_credit("vp1", 1, 0);
  REQUIRE(units(ledger.assign("vp1", 0)) == std::vector<std::uint64_t>{1});
  ledger.drop_unit(1);
  ledger.drop_unit(9);  // unknown: nothing happens
  CHECK_FALSE(ledger.holder(1));
  CHECK(units(ledger.assign("vp1", 1)) == std::vector<std::uint64_t>{2});
  CHECK(ledger.record_result("vp1", 1, 0, 2) == ResultFate::unknown_unit);
}

TEST_CASE("ledger: pending units go out highest priority first, then lowest id", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 1);
  ledger.add_unit(2, 1, std::nullopt, 0, 5);
  ledger.add_unit(3, 1, std::nullopt, 0, -1);
  ledger.add_unit(4, 1, std::nullopt, 0, 5);
  ledger.add_unit(5, 1, std::nullopt, 0, 9);
  ledger.add_unit(6, 1);
  ledger.add_credit("vp1", 3, 0);
  auto leases = ledger.assign("vp1", 0);
  CHECK(units(leases) == std::vector<std::uint64_t>{5, 2, 4});
  for (const auto& l : leases) CHECK_FALSE(l.express);  // by credit: ordinary leases
  // A requeued unit keeps its priority.
  ledger.release("vp1");
  ledger.add_credit("vp2", 6, 1);
  CHECK(units(ledger.assign("vp2", 1)) == std::vector<std::uint64_t>{5, 2, 4, 1, 6, 3});
  // A dropped unit leaves the queue whatever its priority.
  WorkLedger other(config());
  other.add_unit(1, 1, std::nullopt, 0, 3);
  other.add_unit(2, 1);
  other.drop_unit(1);
  other.add_credit("vp1", 2, 0);
  CHECK(units(other.assign("vp1", 0)) == std::vector<std::uint64_t>{2});
}

TEST_CASE("ledger: a priority unit takes the express lane when the credit is spent", "[sweep]") {
  WorkLedger ledger(config());
  for (std::uint64_t u = 1; u <= 3; ++u) ledger.add_unit(u, 1);  // a long sweep
  ledger.hello("vp1", 2, 0);
  ledger.add_credit("vp1", 2, 0);
  CHECK(units(ledger.assign("vp1", 0)) == std::vector<std::uint64_t>{1, 2});
  CHECK(ledger.assign("vp1", 1).empty());  // no credit, no priority unit
  ledger.add_unit(10, 1, std::nullopt, 0, 1);  // an on-demand check
  ledger.add_unit(11, 1, std::nullopt, 0, 1);
  auto leases = ledger.assign("vp1", 2);
  REQUIRE(leases.size() == 1);
  CHECK(leases[0].unit == 10);
  CHECK(leases[0].express);
  CHECK(leases[0].deadline_ms == 10'002);
  CHECK(ledger.holder(10) == std::string("vp1"));
  // One express unit at a time.
  CHECK(ledger.assign("vp1", 3).empty());
  // Another prober with no credit gets the next one as its own express unit.
  ledger.hello("vp2", 1, 3);
  CHECK(units(ledger.assign("vp2", 3)) == std::vector<std::uint64_t>{11});
  // The express unit is done: the lane is free again, and no credit came back.
  CHECK(ledger.record_result("vp1", 10, 0, 4) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 10, 5));
  ledger.add_unit(12, 1, std::nullopt, 0, 2);
  leases = ledger.assign("vp1", 6);
  REQUIRE(leases.size() == 1);  // unit 3 waits: no credit
  CHECK(leases[0].unit == 12);
  CHECK(leases[0].express);
}

TEST_CASE("ledger: an express unit neither eats credit nor counts against capacity nor gives credit back", "[sweep]") {
  WorkLedger ledger(config());
  for (std::uint64_t u = 1; u <= 4; ++u) ledger.add_unit(u, 1);
  ledger.hello("vp1", 2, 0);
  ledger.add_credit("vp1", 2, 0);
  CHECK(units(ledger.assign("vp1", 0)) == std::vector<std::uint64_t>{1, 2});
  ledger.add_unit(10, 1, std::nullopt, 0, 1);
  auto leases = ledger.assign("vp1", 1);
  REQUIRE(leases.size() == 1);
  CHECK(leases[0].express);
  ledger.add_credit("vp1", 2, 2);  // holding 1 and 2 (and the express 10): no room
  CHECK(ledger.assign("vp1", 2).empty());
  // Dropped (its sweep ended): no credit back, since it took none; unit 3 still waits.
  ledger.drop_unit(10);
  CHECK(ledger.assign("vp1", 3).empty());
  CHECK(ledger.progress().pending == 2);
  // Unit 1 done, READY 1: room for one.
  CHECK(ledger.record_result("vp1", 1, 0, 4) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 1, 4));
  ledger.add_credit("vp1", 1, 4);
  CHECK(units(ledger.assign("vp1", 4)) == std::vector<std::uint64_t>{3});
  // Another express unit beside the two ordinary ones: it is not counted against capacity 2.
  ledger.add_unit(11, 1, std::nullopt, 0, 1);
  leases = ledger.assign("vp1", 5);
  REQUIRE(leases.size() == 1);
  CHECK(leases[0].express);
  ledger.add_credit("vp1", 5, 5);  // holding 2 and 3: no room
  CHECK(ledger.assign("vp1", 5).empty());
  CHECK(ledger.record_result("vp1", 2, 0, 6) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 2, 6));
  ledger.add_credit("vp1", 1, 6);  // holding 3 and the express 11: room for one all the same
  leases = ledger.assign("vp1", 6);
  REQUIRE(units(leases) == std::vector<std::uint64_t>{4});
  CHECK_FALSE(leases[0].express);
  // The express unit finishes: no credit back (or unit 5 would go out now).
  CHECK(ledger.record_result("vp1", 11, 0, 7) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 11, 7));
  ledger.add_unit(5, 1);
  CHECK(ledger.assign("vp1", 8).empty());  // the credit is spent, and 5 is no priority unit
}

TEST_CASE("ledger: an express lease that runs out gives no credit back and frees the lane", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 1);
  ledger.add_unit(2, 1, std::nullopt, 0, 1);
  ledger.hello("vp1", 1, 0);
  auto leases = ledger.assign("vp1", 0);
  REQUIRE(units(leases) == std::vector<std::uint64_t>{2});
  CHECK(leases[0].express);
  ledger.seen("vp1", 10'000);
  CHECK(ledger.expire(10'000).empty());
  CHECK_FALSE(ledger.holder(2));
  leases = ledger.assign("vp1", 10'000);  // unit 1 stays: no credit came back
  REQUIRE(units(leases) == std::vector<std::uint64_t>{2});
  CHECK(leases[0].express);
  // A prober that goes away loses its express unit to the others.
  ledger.release("vp1");
  ledger.hello("vp2", 2, 10'001);
  ledger.add_credit("vp2", 2, 10'001);
  leases = ledger.assign("vp2", 10'001);
  REQUIRE(units(leases) == std::vector<std::uint64_t>{2, 1});
  CHECK_FALSE(leases[0].express);  // with credit, by credit
  CHECK_FALSE(leases[1].express);
}

TEST_CASE("ledger: units a prober may not run stay pending for others, owners still respected", "[sweep]") {
  WorkLedger ledger(config());
  for (std::uint64_t u = 1; u <= 4; ++u) ledger.add_unit(u, 1);
  auto even = [](std::uint64_t unit) { return unit % 2 == 0; };
  ledger.add_credit("vp1", 5, 0);
  CHECK(units(ledger.assign("vp1", 0, even)) == std::vector<std::uint64_t>{2, 4});
  ledger.add_credit("vp2", 5, 0);
  CHECK(units(ledger.assign("vp2", 0, {})) == std::vector<std::uint64_t>{1, 3});  // empty: all may run
  // The express lane asks too.
  ledger.add_unit(10, 1, std::nullopt, 0, 1);
  ledger.add_unit(11, 1, std::nullopt, 0, 1);
  auto not_10 = [](std::uint64_t unit) { return unit != 10; };
  auto leases = ledger.assign("vp1", 1, not_10);  // vp1 has credit 3 left
  CHECK(units(leases) == std::vector<std::uint64_t>{11});
  CHECK(ledger.assign("vp1", 1, not_10).empty());
  CHECK(ledger.holder(10) == std::nullopt);
  CHECK(units(ledger.assign("vp2", 1)) == std::vector<std::uint64_t>{10});
  // Owners: a unit that belongs to vp1 never goes to vp2, whatever may_run says.
  WorkLedger all(config());
  all.add_unit(1, 1, std::string("vp1"));
  all.add_unit(2, 1, std::string("vp2"), 0, 1);
  all.add_unit(3, 1, std::string("vp1"), 0, 1);
  auto any = [](std::uint64_t) { return true; };
  all.hello("vp2", 1, 0);
  leases = all.assign("vp2", 0, any);  // no credit: unit 2 by the express lane, 3 is vp1's
  REQUIRE(units(leases) == std::vector<std::uint64_t>{2});
  CHECK(leases[0].express);
  all.add_credit("vp2", 1, 0);
  CHECK(all.assign("vp2", 0, any).empty());
  all.add_credit("vp1", 1, 0);
  leases = all.assign("vp1", 0, [](std::uint64_t unit) { return unit != 3; });
  CHECK(units(leases) == std::vector<std::uint64_t>{1});  // 3 may not run here now: it waits
  CHECK(units(all.assign("vp1", 1, any)) == std::vector<std::uint64_t>{3});  // express, later
}

TEST_CASE("ledger: a done unit is forgotten, late results for it are unknown", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(1, 2);
  ledger.add_unit(2, 1);
  ledger.add_credit("vp1", 2, 0);
  ledger.assign("vp1", 0);
  CHECK(ledger.record_result("vp1", 1, 0, 1) == ResultFate::counted);
  CHECK(ledger.record_result("vp1", 1, 1, 1) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 1, 2));
  CHECK(ledger.units_held() == 1);
  CHECK(ledger.record_result("vp1", 1, 0, 3) == ResultFate::unknown_unit);  // a late duplicate
  CHECK_FALSE(ledger.finish("vp1", 1, 3));  // a second DONE is not done twice
  CHECK_FALSE(ledger.holder(1));
  CHECK_FALSE(ledger.task_done(1, 0));
  CHECK_FALSE(ledger.complete());
  auto p = ledger.progress();
  CHECK(p.units == 2);
  CHECK(p.done == 1);
  CHECK(p.leased == 1);
  CHECK(p.pending == 0);
  CHECK(p.tasks == 3);
  CHECK(p.results == 2);
  CHECK(ledger.record_result("vp1", 2, 0, 4) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 2, 4));
  CHECK(ledger.complete());
  CHECK(ledger.units_held() == 0);
  CHECK(ledger.progress().done == 2);
  CHECK(ledger.progress().results == 3);
  // Memory stays bounded by the open units, however many are done.
  WorkLedger big(config());
  big.hello("vp1", 4, 0);
  for (std::uint64_t u = 1; u <= 10'000; ++u) {
    big.add_unit(u, 1);
    big.add_credit("vp1", 1, 0);
    REQUIRE(units(big.assign("vp1", 0)) == std::vector<std::uint64_t>{u});
    big.record_result("vp1", u, 0, 0);
    REQUIRE(big.finish("vp1", u, 0));
  }
  CHECK(big.units_held() == 0);
  CHECK(big.progress().units == 10'000);
  CHECK(big.progress().done == 10'000);
  CHECK(big.complete());
}

TEST_CASE("ledger: a unit restored with every task done is counted and forgotten", "[sweep]") {
  WorkLedger ledger(config());
  ledger.restore_unit(1, 2, std::nullopt, {1, 0});
  ledger.restore_unit(2, 2, std::nullopt, {1}, 0, 3);
  CHECK(ledger.units_held() == 1);
  auto p = ledger.progress();
  CHECK(p.units == 2);
  CHECK(p.done == 1);
  CHECK(p.pending == 1);
  CHECK(p.tasks == 4);
  CHECK(p.results == 3);
  CHECK(ledger.record_result("vp1", 1, 0, 0) == ResultFate::unknown_unit);
  ledger.hello("vp1", 1, 0);
  auto leases = ledger.assign("vp1", 0);  // no credit: unit 2, priority 3, by the express lane
  REQUIRE(units(leases) == std::vector<std::uint64_t>{2});
  CHECK(leases[0].express);
  CHECK(ledger.record_result("vp1", 2, 0, 1) == ResultFate::counted);
  CHECK(ledger.finish("vp1", 2, 1));
  CHECK(ledger.complete());
  CHECK(ledger.progress().results == 4);
}

TEST_CASE("ledger: adding a unit again replaces it", "[sweep]") {
  WorkLedger ledger(config());
  ledger.add_unit(7, 1);
  ledger.add_unit(7, 2, std::nullopt, 0, 3);  // queued once, with its new priority
  ledger.add_unit(8, 1, std::nullopt, 0, 1);
  ledger.add_credit("vp1", 5, 0);
  CHECK(units(ledger.assign("vp1", 0)) == std::vector<std::uint64_t>{7, 8});
  ledger.add_unit(7, 1);  // while leased: the holder loses it
  CHECK_FALSE(ledger.holder(7));
  CHECK(ledger.progress().pending == 1);
  CHECK(units(ledger.assign("vp1", 1)) == std::vector<std::uint64_t>{7});
}

TEST_CASE("ledger: each result renews its unit's lease, a unit that stops moving is taken back", "[sweep]") {
  WorkLedger ledger(config());  // leases of 10 s
  ledger.add_unit(1, 4);
  ledger.add_credit("slow", 1, 0);
  ledger.add_credit("vp2", 1, 0);
  REQUIRE(ledger.assign("slow", 0).at(0).deadline_ms == 10'000);
  // One result every 8 s: the unit takes 24 s, more than its lease, and stays with "slow".
  for (std::uint32_t task = 0; task < 3; ++task) {
    std::int64_t at = 8'000 * (task + 1);
    for (std::int64_t t = at - 7'000; t <= at; t += 1'000) {
      ledger.seen("slow", t);
      ledger.seen("vp2", t);
      ledger.expire(t);
    }
    CHECK(ledger.record_result("slow", 1, task, at) == ResultFate::counted);
  }
  CHECK(ledger.holder(1) == std::string("slow"));
  // A duplicate renews nothing; with no new result, 10 s after the last one it is taken back.
  for (std::int64_t t = 25'000; t <= 34'000; t += 1'000) {
    ledger.seen("slow", t);
    ledger.seen("vp2", t);
    if (t == 30'000) CHECK(ledger.record_result("slow", 1, 2, t) == ResultFate::duplicate);
    ledger.expire(t);
    if (t < 34'000) CHECK(ledger.holder(1) == std::string("slow"));
  }
  CHECK_FALSE(ledger.holder(1));
  CHECK(units(ledger.assign("vp2", 34'000)) == std::vector<std::uint64_t>{1});
}

TEST_CASE("ledger: renewals end after max_hold_leases leases, however the results trickle", "[sweep]") {
  WorkLedger ledger(config());  // leases of 10 s
  ledger.add_unit(1, 1000);
  ledger.add_credit("trickle", 1, 0);
  ledger.assign("trickle", 0);
  std::uint32_t task = 0;
  std::int64_t t = 0;
  // One result every 9 s keeps renewing; heartbeats every second keep the prober alive.
  for (; t < max_hold_leases * 10'000 + 20'000 && ledger.holder(1); t += 1'000) {
    ledger.seen("trickle", t);
    if (t % 9'000 == 0) ledger.record_result("trickle", 1, task++, t);
    ledger.expire(t);
  }
  CHECK_FALSE(ledger.holder(1));
  CHECK(t - 1'000 == max_hold_leases * 10'000);  // taken back at exactly 20 leases
}
