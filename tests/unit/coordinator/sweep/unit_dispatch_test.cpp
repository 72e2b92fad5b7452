// What a prober is sent: leased units with the tasks still open, the answer sets' digests, and
// opted-out resolvers answered by the coordinator itself.
#include <catch2/catch.hpp>

#include "coordinator/sweep/unit_dispatch.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

SweepLifecycle with_unit() {
  LedgerConfig c;
  c.lease_ms = 10'000;
  SweepLifecycle l(c, 64);
  StoredSweep info;
  info.id = 1;
  info.settings.per_resolver_qps = 2;
  info.settings.timeout_ms = 700;
  info.settings.retries = 1;
  info.settings.digest_key = protocol::DigestKey{3, 4};
  l.add_sweep(info);
  StoredUnit u;
  u.id = 10;
  u.sweep = 1;
  u.tasks = {protocol::WorkTask{0, "192.0.2.1", "mx.example.", 1}, protocol::WorkTask{1, "192.0.2.2", "mx.example.", 1},
             protocol::WorkTask{2, "198.51.100.7", "mx.example.", 28}};
  u.tasks_done = {1};
  l.add_units(1, {u});
  return l;
}

}  // namespace

TEST_CASE("dispatch: a WORK carries the open tasks, the sweep's rates and the digests", "[sweep]") {
  SweepLifecycle l = with_unit();
  l.set_answer_sets(1, AnswerSets{{Question{"mx.example.", 1}, {protocol::AnswerSet{3, {}}}}});
  OptOut none = OptOut::load({});
  CHECK(dispatch_units(l, "vp1", {}, none, 0).work.empty());  // no credit yet
  l.ledger().add_credit("vp1", 2, 0);
  UnitDispatch out = dispatch_units(l, "vp1", {}, none, 1'000);
  REQUIRE(out.work.size() == 1);
  const protocol::Work& w = out.work[0];
  CHECK(w.unit == 10);
  CHECK(w.sweep == 1);
  CHECK(w.per_resolver_qps == 2);
  CHECK(w.timeout_ms == 700);
  CHECK(w.retries == 1);
  CHECK(w.lease_deadline_ms >= 11'000);
  REQUIRE(w.tasks.size() == 2);  // task 1 already has its result
  CHECK(w.tasks[0].index == 0);
  CHECK(w.tasks[1].index == 2);
  CHECK(w.digest_key == protocol::DigestKey{3, 4});
  REQUIRE(w.expected.size() == 1);  // the AAAA question has no answer set
  CHECK(w.expected[0].qtype == 1);
  CHECK(out.refused.empty());
  CHECK(l.ledger().holder(10) == "vp1");
}

TEST_CASE("dispatch: a resolver that opted out after planning is not asked, its task answered here", "[sweep]") {
  SweepLifecycle l = with_unit();
  test::TempFile list("198.51.100.0/24\n");
  OptOut opt_out = OptOut::load({list.path()});
  l.ledger().add_credit("vp1", 1, 0);
  UnitDispatch out = dispatch_units(l, "vp1", {}, opt_out, 500);
  REQUIRE(out.work.size() == 1);
  REQUIRE(out.work[0].tasks.size() == 1);
  CHECK(out.work[0].tasks[0].index == 0);
  REQUIRE(out.refused.size() == 1);
  CHECK(out.refused[0].task == 2);
  CHECK(out.refused[0].observation.outcome == Outcome::not_asked);
  CHECK(out.refused[0].observation.not_asked == NotAskedReason::opt_out_coordinator);
  CHECK(out.refused[0].observation.time_ms == 500);
  CHECK(l.ledger().task_done(10, 2));
}

TEST_CASE("dispatch: a unit of a sweep that ended gives the credit back", "[sweep]") {
  SweepLifecycle l = with_unit();
  // The ledger still has a unit whose sweep the lifecycle no longer knows.
  l.ledger().add_unit(99, 1);
  l.end(1);
  l.ledger().add_credit("vp1", 1, 0);
  CHECK(dispatch_units(l, "vp1", {}, OptOut::load({}), 0).work.empty());
  CHECK(l.ledger().complete());
  l.ledger().add_unit(100, 1);
  CHECK(l.ledger().assign("vp1", 0).size() == 1);  // the credit came back
}
