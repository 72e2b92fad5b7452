// Results written on the writer's thread: in order, in few transactions, a unit marked done
// only with its results, nothing lost when the database refuses for a while, and flush()
// waiting until what came before is in the file. A real SQLite file under /tmp; the retry
// tests write into a sink that refuses on purpose.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "coordinator/service/result_writer.h"
#include "coordinator/sweep/sweep_store.h"
#include "tests/unit/sqlite_file.h"

using namespace mxsentry;
using namespace mxsentry::service;

namespace {

StoredResult result_for(std::uint64_t unit, std::uint32_t task) {
  StoredResult r;
  r.unit = unit;
  r.task = task;
  r.vantage = "vp1";
  r.observation.resolver = *Endpoint::parse("192.0.2.1");
  r.observation.qname = "a.example.";
  r.observation.qtype = 1;
  r.observation.task_index = task;
  r.observation.outcome = Outcome::timeout;
  return r;
}

std::vector<StoredResult> results_for(std::uint64_t unit, std::uint32_t from, std::uint32_t count) {
  std::vector<StoredResult> out;
  for (std::uint32_t t = from; t < from + count; ++t) out.push_back(result_for(unit, t));
  return out;
}

}  // namespace

TEST_CASE("result writer: results and the unit they finish reach the database, in few transactions", "[sweep][storage]") {
  test::SqliteFile db;
  std::uint64_t sweep = 0, unit = 0;
  {
    SweepStore store(db.path());
    std::vector<protocol::WorkTask> tasks;
    for (std::uint32_t i = 0; i < 300; ++i) tasks.push_back({i, "192.0.2.1", "a.example.", 1});
    sweep = store.create_sweep("w", "shard", SweepPlan{{}, {UnitPlan{std::nullopt, tasks, {}}}}, 0);
    unit = store.open_units(sweep).at(0).id;
  }
  ResultWriter writer(db.path());
  for (std::uint32_t from = 0; from < 300; from += 3) writer.add_results(results_for(unit, from, 3));
  writer.mark_unit_done(unit);
  REQUIRE(writer.flush());
  WriterStats s = writer.stats();
  CHECK(s.queued_results == 300);
  CHECK(s.written_results == 300);
  CHECK(s.backlog == 0);
  CHECK(s.transactions >= 1);
  CHECK(s.transactions <= 101);  // batched when they queue up; never more than one per hand-over

  SweepStore reader(db.path());
  CHECK(reader.sweep(sweep)->results == 300);
  CHECK(reader.open_units(sweep).empty());  // marked done with them
}

TEST_CASE("result writer: a batch the database refuses is kept and tried again, in order", "[sweep][storage]") {
  std::atomic<int> refusals{3};
  std::vector<WriteBatch> written;  // only the writer's thread touches it before flush() returns
  ResultWriter writer(
      [&](const WriteBatch& batch) {
        if (refusals.load() > 0) {
          --refusals;
          throw std::runtime_error("database or disk is full");
        }
        written.push_back(batch);
      },
      1000, 20);
  writer.add_results(results_for(1, 0, 5));
  writer.mark_unit_done(1);
  writer.add_results(results_for(2, 0, 2));
  REQUIRE(writer.flush());
  CHECK(refusals.load() == 0);
  WriterStats s = writer.stats();
  CHECK(s.failures == 3);
  CHECK(s.last_error.empty());  // cleared by the transaction that went through
  CHECK(s.written_results == 7);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  std::vector<std::uint64_t> done;
  for (const auto& b : written) {
    for (const auto& r : b.results) order.emplace_back(r.unit, r.task);
    done.insert(done.end(), b.done_units.begin(), b.done_units.end());
  }
  CHECK(order == std::vector<std::pair<std::uint64_t, std::uint32_t>>{{1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 0}, {2, 1}});
  CHECK(done == std::vector<std::uint64_t>{1});
}

TEST_CASE("result writer: batches stay under their bound, and the backlog says what waits", "[sweep][storage]") {
  std::atomic<bool> open{false};
  std::vector<std::size_t> sizes;
  ResultWriter writer(
      [&](const WriteBatch& batch) {
        if (!open.load()) throw std::runtime_error("locked");
        sizes.push_back(batch.results.size());
      },
      10, 5);
  for (int i = 0; i < 10; ++i) writer.add_results(results_for(1, static_cast<std::uint32_t>(4 * i), 4));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(writer.backlog() == 40);
  CHECK_FALSE(writer.stats().last_error.empty());
  open = true;
  REQUIRE(writer.flush());
  CHECK(writer.backlog() == 0);
  std::size_t total = 0;
  for (auto n : sizes) {
    CHECK(n <= 10);
    total += n;
  }
  CHECK(total == 40);
}

TEST_CASE("result writer: flush gives up when the writer stops, and stopping ends a refusing writer", "[sweep][storage]") {
  auto writer = std::make_unique<ResultWriter>([](const WriteBatch&) { throw std::runtime_error("read-only"); }, 10, 5, 50);
  writer->add_results(results_for(1, 0, 1));
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    writer->stop();
  });
  CHECK_FALSE(writer->flush());
  stopper.join();
  writer->close();  // tries for the 50 ms grace, then gives up
  CHECK(writer->backlog() == 1);  // says what was not written
  CHECK(writer->stats().failures >= 2);
}
