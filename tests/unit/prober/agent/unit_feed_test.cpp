// The units' feed of the prober's one engine: express first, the others in turn.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "prober/agent/unit_feed.h"
#include "prober/agent/unit_intake.h"

using namespace mxsentry;

namespace {

std::vector<Task> tasks(std::uint32_t key, std::size_t count) {
  std::vector<Task> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i].qname = "n" + std::to_string(i) + ".example";
    out[i].index = engine_task_index(key, static_cast<std::uint32_t>(i));
  }
  return out;
}

/// The unit key of each task the feed gives, until it gives none.
std::string drain(UnitFeed& feed, std::size_t most = 1000) {
  std::string order;
  while (most-- > 0) {
    auto task = feed.next();
    if (!task) break;
    order += std::to_string(unit_key_of(task->index));
  }
  return order;
}

}  // namespace

TEST_CASE("unit feed: ordinary units take turns, one task each", "[agent][unit_feed]") {
  UnitFeed feed;
  CHECK(feed.open());
  CHECK_FALSE(feed.finished());
  CHECK_FALSE(feed.next());
  feed.add(1, false, tasks(1, 5));
  feed.add(2, false, tasks(2, 2));
  feed.add(3, false, tasks(3, 1));
  CHECK(feed.queued() == 8);
  CHECK(feed.units() == 3);
  CHECK(drain(feed) == "12312111");
  CHECK(feed.queued() == 0);
  CHECK(feed.units() == 0);
  CHECK_FALSE(feed.finished());  // open: more units may come
}

TEST_CASE("unit feed: a unit's tasks come in their order", "[agent][unit_feed]") {
  UnitFeed feed;
  feed.add(7, false, tasks(7, 3));
  for (std::uint32_t i = 0; i < 3; ++i) {
    auto task = feed.next();
    REQUIRE(task);
    CHECK(task_of(task->index) == i);
    CHECK(task->qname == "n" + std::to_string(i) + ".example");
  }
}

TEST_CASE("unit feed: an express unit goes before the ordinary ones, even when it comes later", "[agent][unit_feed]") {
  UnitFeed feed;
  feed.add(1, false, tasks(1, 4));
  feed.add(2, false, tasks(2, 4));
  CHECK(drain(feed, 2) == "12");
  feed.add(3, true, tasks(3, 3));
  CHECK(drain(feed, 5) == "33312");
  feed.add(4, true, tasks(4, 1));
  CHECK(drain(feed) == "41212");
}

TEST_CASE("unit feed: paused gives nothing, close drops the rest and finishes", "[agent][unit_feed]") {
  UnitFeed feed;
  feed.add(1, false, tasks(1, 3));
  feed.set_paused(true);
  CHECK_FALSE(feed.next());
  CHECK_FALSE(feed.finished());
  feed.set_paused(false);
  CHECK(feed.next());
  feed.close();
  CHECK_FALSE(feed.next());
  CHECK(feed.finished());
  CHECK(feed.queued() == 0);
  feed.add(2, false, tasks(2, 1));  // too late
  CHECK(feed.queued() == 0);
}

TEST_CASE("unit feed: an empty unit adds nothing", "[agent][unit_feed]") {
  UnitFeed feed;
  feed.add(1, false, {});
  CHECK(feed.units() == 0);
  CHECK_FALSE(feed.next());
}

TEST_CASE("unit feed: one thread adds while another takes, every task comes out once", "[agent][unit_feed]") {
  UnitFeed feed;
  constexpr std::uint32_t units = 50, per_unit = 200;
  std::thread producer([&] {
    for (std::uint32_t k = 1; k <= units; ++k) feed.add(k, k % 10 == 0, tasks(k, per_unit));
  });
  std::vector<std::uint32_t> seen(units + 1, 0);
  std::size_t taken = 0;
  while (taken < units * per_unit) {
    if (auto task = feed.next()) {
      ++seen[unit_key_of(task->index)];
      ++taken;
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  for (std::uint32_t k = 1; k <= units; ++k) CHECK(seen[k] == per_unit);
  CHECK_FALSE(feed.next());
}

TEST_CASE("unit feed: ordinary units count as feeding until their last task is taken", "[agent][unit_feed]") {
  UnitFeed feed;
  feed.add(1, false, tasks(1, 2));
  feed.add(2, true, tasks(2, 1));
  feed.add(3, false, tasks(3, 1));
  CHECK(feed.ordinary_units() == 2);
  CHECK(drain(feed, 1) == "2");  // the express unit is not counted
  CHECK(feed.ordinary_units() == 2);
  CHECK(drain(feed, 2) == "13");  // unit 3 gave its only task
  CHECK(feed.ordinary_units() == 1);
  CHECK(drain(feed) == "1");
  CHECK(feed.ordinary_units() == 0);
}
