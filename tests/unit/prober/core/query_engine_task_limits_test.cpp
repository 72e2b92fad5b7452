// Tasks of several units on one engine: a task's own timeout and retries, and a per-resolver
// rate changed while the engine runs (simulated time).
#include <catch2/catch.hpp>

#include "tests/unit/prober/core/engine_harness.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

constexpr std::uint64_t ms = 1000;

EngineConfig config() {
  EngineConfig c;
  c.timeout_ms = 1000;
  c.retries = 2;
  c.linger_ms = 0;
  c.per_resolver_qps = 0;
  c.udp_sockets = 4;
  return c;
}

void submit(Harness& h, const std::string& resolver, const std::string& qname, std::uint32_t timeout_ms,
            std::int32_t retries) {
  Task t;
  t.resolver = endpoint(resolver);
  t.qname = qname;
  t.index = h.next_index++;
  t.timeout_ms = timeout_ms;
  t.retries = retries;
  REQUIRE_FALSE(h.engine.submit(t, h.io.now_us));
  h.engine.advance(h.io.now_us);
}

}  // namespace

TEST_CASE("a task's own timeout and retries override the engine's", "[engine][task_limits]") {
  Harness h(config());
  submit(h, "192.0.2.1", "slow.example", 0, -1);   // the engine's: 1000 ms, 2 retries
  submit(h, "192.0.2.2", "quick.example", 300, 0);  // 300 ms, no retry
  submit(h, "192.0.2.3", "middle.example", 500, 1);
  REQUIRE(h.io.sent.size() == 3);
  h.advance_to(299 * ms);
  CHECK(h.done.empty());
  h.advance_to(300 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].qname == "quick.example");
  CHECK(h.done[0].outcome == Outcome::timeout);
  CHECK(h.done[0].attempts == 1);
  h.advance_to(500 * ms);
  CHECK(h.io.sent.size() == 4);  // middle.example again
  h.advance_to(1000 * ms);
  REQUIRE(h.done.size() == 2);
  CHECK(h.done[1].qname == "middle.example");
  CHECK(h.done[1].attempts == 2);
  CHECK(h.io.sent.size() == 5);  // slow.example's second attempt
  h.advance_to(3000 * ms);
  REQUIRE(h.done.size() == 3);
  CHECK(h.done[2].qname == "slow.example");
  CHECK(h.done[2].attempts == 3);
  CHECK(h.engine.idle());
}

TEST_CASE("a shorter timeout armed after longer ones still fires first", "[engine][task_limits]") {
  Harness h(config());
  for (int i = 0; i < 5; ++i) submit(h, "192.0.2." + std::to_string(i + 1), "long.example", 2000, 0);
  h.advance_to(100 * ms);
  submit(h, "192.0.2.9", "short.example", 200, 0);
  h.advance_to(300 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].qname == "short.example");
  h.advance_to(1999 * ms);
  CHECK(h.done.size() == 1);
  h.advance_to(2000 * ms);
  CHECK(h.done.size() == 6);
  CHECK(h.engine.idle());
}

TEST_CASE("a task slower than the engine keeps its own pace beside faster ones", "[engine][task_limits]") {
  EngineConfig c = config();
  c.per_resolver_qps = 100;
  c.timeout_ms = 100;
  c.retries = 0;
  Harness h(c);
  auto slow = [&](const std::string& resolver, const std::string& qname) {
    Task t;
    t.resolver = endpoint(resolver);
    t.qname = qname;
    t.index = h.next_index++;
    t.per_resolver_qps = 5;  // 200 ms apart
    REQUIRE_FALSE(h.engine.submit(t, h.io.now_us));
    h.engine.advance(h.io.now_us);
  };
  for (int i = 0; i < 3; ++i) slow("192.0.2.1", "slow" + std::to_string(i) + ".example");
  for (int i = 0; i < 3; ++i) h.submit("192.0.2.2", "fast" + std::to_string(i) + ".example");
  h.advance_to(50 * ms);  // the fast resolver at 100/s: all three; the slow one: its first
  CHECK(h.io.sent.size() == 4);
  h.advance_to(199 * ms);
  CHECK(h.io.sent.size() == 4);
  h.advance_to(201 * ms);
  CHECK(h.io.sent.size() == 5);
  // A task at the engine's pace behind the slow ones waits its turn in the queue.
  h.submit("192.0.2.1", "after.example");
  h.advance_to(399 * ms);
  CHECK(h.io.sent.size() == 5);
  h.advance_to(401 * ms);
  CHECK(h.io.sent.size() == 6);
  h.advance_to(420 * ms);
  CHECK(h.io.sent.size() == 7);  // the 100/s one, 10 ms later
  CHECK(h.io.sent.back().to == endpoint("192.0.2.1"));
}

TEST_CASE("an urgent task goes ahead of its resolver's queued tasks", "[engine][task_limits]") {
  EngineConfig c = config();
  c.per_resolver_qps = 10;
  c.timeout_ms = 50;
  c.retries = 0;
  Harness h(c);
  for (int i = 0; i < 5; ++i) h.submit("192.0.2.1", "sweep" + std::to_string(i) + ".example");
  Task t;
  t.resolver = endpoint("192.0.2.1");
  t.qname = "check.example";
  t.index = 99;
  t.urgent = true;
  REQUIRE_FALSE(h.engine.submit(t, h.io.now_us));
  h.advance_to(170 * ms);  // the second query goes at 100 ms, times out 50 ms later
  REQUIRE(h.done.size() >= 2);
  CHECK(h.done[0].qname == "sweep0.example");  // sent before the urgent one came
  CHECK(h.done[1].qname == "check.example");
}

TEST_CASE("an urgent task does not wait for the pace of a slow task ahead of it", "[engine][task_limits]") {
  EngineConfig c = config();
  c.per_resolver_qps = 20;
  c.timeout_ms = 100;
  c.retries = 0;
  Harness h(c);
  for (int i = 0; i < 3; ++i) {
    Task t;
    t.resolver = endpoint("192.0.2.1");
    t.qname = "slow" + std::to_string(i) + ".example";
    t.index = h.next_index++;
    t.per_resolver_qps = 0.05;  // 20 s apart
    REQUIRE_FALSE(h.engine.submit(t, h.io.now_us));
  }
  h.advance_to(1000 * ms);
  CHECK(h.io.sent.size() == 1);
  for (int i = 0; i < 3; ++i) {
    Task t;
    t.resolver = endpoint("192.0.2.1");
    t.qname = "check" + std::to_string(i) + ".example";
    t.index = h.next_index++;
    t.urgent = true;
    REQUIRE_FALSE(h.engine.submit(t, h.io.now_us));
  }
  h.engine.advance(h.io.now_us);
  h.advance_to(1200 * ms);  // at the engine's 20/s
  CHECK(h.io.sent.size() == 4);
  h.advance_to(21'000 * ms);
  CHECK(h.io.sent.size() == 4);  // the slow ones keep their pace, from the last packet (~1100 ms)
  h.advance_to(21'200 * ms);
  CHECK(h.io.sent.size() == 5);
}
