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
  // "stopped" keeps heartbeating (SIGSTOP would not; see below) but its lease runs out.
  for (std::int64_t t = 1'000; t <= 10'000; t += 1'000) {
    ledger.seen("stopped", t);
    ledger.seen("vp2", t);
    ledger.expire(t);
  }
  CHECK_FALSE(ledger.holder(1));
  CHECK(units(ledger.assign("vp2", 10'000)) == std::vector<std::uint64_t>{1});
  CHECK(ledger.record_result("stopped", 1, 1, 10'500) == ResultFate::not_holder);  // late: dropped
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
