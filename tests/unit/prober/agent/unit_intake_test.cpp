// A WORK unit into the engine's tasks and this vantage's refusals.
#include <catch2/catch.hpp>

#include "prober/agent/unit_intake.h"
#include "prober/core/limits.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

protocol::Work work_of(std::vector<std::string> resolvers) {
  protocol::Work w;
  w.unit = 42;
  w.timeout_ms = 5;        // below the engine's floor
  w.retries = 99;          // above its ceiling
  std::uint32_t index = 10;
  for (auto& r : resolvers) w.tasks.push_back(protocol::WorkTask{index++, r, "mx.example", 15});
  return w;
}

}  // namespace

TEST_CASE("unit intake: tasks carry the unit key, the WORK index and the unit's limits", "[agent][unit_intake]") {
  protocol::Work w = work_of({"9.9.9.9", "[2620:fe::fe]:5353"});
  w.express = true;
  PreparedUnit p = prepare_unit(w, 7, IntakeRules{}, 1000);
  CHECK(p.refused.empty());
  REQUIRE(p.tasks.size() == 2);
  CHECK(unit_key_of(p.tasks[0].index) == 7);
  CHECK(task_of(p.tasks[0].index) == 10);
  CHECK(task_of(p.tasks[1].index) == 11);
  CHECK(p.tasks[1].resolver.port == 5353);
  CHECK(p.tasks[0].qname == "mx.example");
  CHECK(p.tasks[0].qtype == 15);
  CHECK(p.tasks[0].timeout_ms == limits::min_timeout_ms);
  CHECK(p.tasks[0].retries == static_cast<std::int32_t>(limits::max_retries));
  CHECK(p.tasks[0].urgent);
  CHECK(p.tasks[0].per_resolver_qps == 5);  // no cap given: the unit's own rate paces it

  w.per_resolver_qps = 2;
  CHECK(prepare_unit(w, 7, IntakeRules{nullptr, false, 5}, 0).tasks[0].per_resolver_qps == 2);  // slower: its own pace
  CHECK(prepare_unit(w, 7, IntakeRules{nullptr, false, 1}, 0).tasks[0].per_resolver_qps == 0);  // the cap holds it
}

TEST_CASE("unit intake: bad addresses, opt-outs and private addresses come back not asked", "[agent][unit_intake]") {
  // Public addresses because the private-address rule is tested too; prepare_unit() only sorts
  // tasks, and nothing here sends a packet.
  test::TempFile list("9.9.9.128/25\n");
  OptOut opt_out = OptOut::load({list.path()});
  protocol::Work w = work_of({"not an address", "9.9.9.200", "10.1.2.3", "9.9.9.1"});
  PreparedUnit p = prepare_unit(w, 3, IntakeRules{&opt_out, false}, 1234);
  REQUIRE(p.tasks.size() == 1);
  CHECK(task_of(p.tasks[0].index) == 13);
  REQUIRE(p.refused.size() == 3);
  CHECK(p.refused[0].not_asked == NotAskedReason::bad_address);
  CHECK(p.refused[0].task_index == 10);  // the WORK's index: no unit key
  CHECK(p.refused[1].not_asked == NotAskedReason::opt_out);
  CHECK(p.refused[1].task_index == 11);
  CHECK(p.refused[2].not_asked == NotAskedReason::private_refused);
  CHECK(p.refused[2].time_ms == 1234);
  for (const auto& o : p.refused) CHECK(o.outcome == Outcome::not_asked);

  PreparedUnit allowed = prepare_unit(w, 3, IntakeRules{&opt_out, true}, 1234);
  CHECK(allowed.tasks.size() == 2);
  CHECK(allowed.refused.size() == 2);
}
