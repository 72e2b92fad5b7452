// The sweep store counts a sweep's tasks not asked, by reason, and reads them back as such;
// a database from before not-asked gains the column and keeps its results.
#include <catch2/catch.hpp>

#include <cstdio>
#include <unistd.h>

#include <sqlite3.h>

#include "coordinator/sweep/sweep_store.h"
#include "prober/core/not_asked.h"

using namespace mxsentry;

namespace {

struct TempDb {
  std::string path;
  TempDb() {
    char name[] = "/tmp/mxsentry-not-asked-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
  }
  ~TempDb() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  }
};

StoredResult result_of(std::uint64_t unit, std::uint32_t task, Observation o) {
  StoredResult r;
  r.unit = unit;
  r.task = task;
  r.vantage = "vp1";
  o.task_index = task;
  r.observation = std::move(o);
  return r;
}

Observation refused(NotAskedReason reason) {
  return not_asked(Task{*Endpoint::parse("10.0.0.1"), "a.example.", 1, 0}, reason, 1000);
}

Observation timed_out() {
  Observation o;
  o.resolver = *Endpoint::parse("192.0.2.1");
  o.qname = "a.example.";
  o.qtype = 1;
  o.outcome = Outcome::timeout;
  return o;
}

std::vector<UnitPlan> one_unit(std::uint32_t tasks) {
  UnitPlan plan{std::nullopt, {}};
  for (std::uint32_t i = 0; i < tasks; ++i) plan.tasks.push_back({i, "10.0.0.1", "a.example.", 1});
  return {plan};
}

}  // namespace

TEST_CASE("sweep store: tasks not asked are counted by reason and read back", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("lab", "shard", one_unit(4), 1000);
  auto unit = store.open_units(id).at(0).id;
  store.add_results({result_of(unit, 0, refused(NotAskedReason::private_refused)),
                     result_of(unit, 1, refused(NotAskedReason::private_refused)),
                     result_of(unit, 2, refused(NotAskedReason::opt_out)), result_of(unit, 3, timed_out())});
  auto s = store.sweep(id);
  REQUIRE(s);
  CHECK(s->results == 4);
  CHECK(s->not_asked == std::map<std::string, std::uint64_t>{{"opt-out", 1}, {"private-refused", 2}});
  CHECK(store.sweeps().at(0).not_asked == s->not_asked);
  auto results = store.results(id);
  REQUIRE(results.size() == 4);
  CHECK(results[0].observation.outcome == Outcome::not_asked);
  CHECK(results[2].observation.not_asked == NotAskedReason::opt_out);
  CHECK(results[3].observation.outcome == Outcome::timeout);
  // A duplicate is ignored, and counts nothing twice.
  store.add_results({result_of(unit, 2, refused(NotAskedReason::opt_out))});
  CHECK(store.sweep(id)->not_asked.at("opt-out") == 1);
}

TEST_CASE("sweep store: a database from before not-asked gets the column, its results kept", "[sweep]") {
  TempDb db;
  std::uint64_t id = 0;
  {
    SweepStore store(db.path);
    id = store.create_sweep("old", "shard", one_unit(1), 1000);
    store.add_results({result_of(store.open_units(id).at(0).id, 0, timed_out())});
  }
  {
    // As an older mxsentry left it: no not_asked column.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
    CHECK(sqlite3_exec(raw, "ALTER TABLE results DROP COLUMN not_asked", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  SweepStore store(db.path);
  auto s = store.sweep(id);
  REQUIRE(s);
  CHECK(s->results == 1);
  CHECK(s->not_asked.empty());
  auto second = store.create_sweep("new", "shard", one_unit(1), 2000);
  store.add_results({result_of(store.open_units(second).at(0).id, 0, refused(NotAskedReason::opt_out))});
  CHECK(store.sweep(second)->not_asked.at("opt-out") == 1);
}
