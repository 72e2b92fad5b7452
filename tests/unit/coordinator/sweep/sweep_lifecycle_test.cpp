// The sweep lifecycle on a fake clock: when probing is done, deadlines, the re-ask phase, and
// a re-asking vantage that goes away.
#include <algorithm>

#include <catch2/catch.hpp>

#include "coordinator/sweep/sweep_lifecycle.h"

using namespace mxsentry;

namespace {

LedgerConfig config() {
  LedgerConfig c;
  c.lease_ms = 10'000;
  c.heartbeat_ms = 1'000;
  c.missed_heartbeats = 3;
  return c;
}

StoredSweep sweep_info(std::uint64_t id, std::int64_t deadline_ms = 0) {
  StoredSweep s;
  s.id = id;
  s.name = "sweep " + std::to_string(id);
  s.assignment = "all";
  s.settings.deadline_ms = deadline_ms;
  return s;
}

StoredUnit unit(std::uint64_t id, std::uint64_t sweep, std::optional<std::string> owner = std::nullopt,
                bool reask = false) {
  StoredUnit u;
  u.id = id;
  u.sweep = sweep;
  u.owner = std::move(owner);
  u.reask = reask;
  u.tasks = {protocol::WorkTask{0, "192.0.2.1", "mx.example.", 1}, protocol::WorkTask{1, "192.0.2.2", "mx.example.", 1}};
  return u;
}

/// The prober takes its units, answers every task and says DONE for each; returns the units.
std::vector<std::uint64_t> run_all(SweepLifecycle& l, const std::string& prober, std::int64_t now) {
  l.ledger().add_credit(prober, 10, now);
  std::vector<std::uint64_t> done;
  for (const Lease& lease : l.ledger().assign(prober, now, [&](std::uint64_t u) { return l.may_run(u, {}, now); })) {
    for (std::uint32_t t = 0; t < 2; ++t) l.ledger().record_result(prober, lease.unit, t, now);
    if (l.unit_done(prober, lease.unit, now)) done.push_back(lease.unit);
  }
  return done;
}

}  // namespace

TEST_CASE("lifecycle: the last unit done orders the sweep's judging, once", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  CHECK(l.add_units(1, {unit(10, 1), unit(11, 1)}).empty());
  CHECK(l.sweep(1)->open_units.size() == 2);
  l.ledger().hello("vp1", 4, 0);
  CHECK(run_all(l, "vp1", 100) == std::vector<std::uint64_t>{10, 11});
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].sweep == 1);
  CHECK(orders[0].state == "complete");
  CHECK(l.sweep(1)->judging);
  CHECK_FALSE(l.unit_done("vp1", 11, 200));  // a second DONE does nothing twice
  CHECK(l.take_judge_orders().empty());
  CHECK(l.take_notes() == std::vector<std::string>{"sweep 1 complete; judging it"});
}

TEST_CASE("lifecycle: a unit whose results were all kept before a restart is done at once", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  StoredUnit kept = unit(10, 1);
  kept.tasks_done = {0, 1};
  StoredUnit half = unit(11, 1);
  half.tasks_done = {1};
  CHECK(l.add_units(1, {kept, half}) == std::vector<std::uint64_t>{10});
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{11});
  CHECK(l.ledger().task_done(11, 1));
  CHECK_FALSE(l.ledger().task_done(11, 0));
  l.resume(1, false, 0);
  CHECK(l.take_judge_orders().empty());  // unit 11 is still open
}

TEST_CASE("lifecycle: a restored sweep without open units is judged at once", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  l.resume(1, false, 0);
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].state == "complete");
}

TEST_CASE("lifecycle: at the deadline the units bound to a gone vantage are given up, shared ones are not", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1, 50'000));
  l.add_units(1, {unit(10, 1, "gone"), unit(11, 1)});
  for (std::int64_t t = 0; t < 50'000; t += 1'000) l.expire(t);
  CHECK(l.sweep(1)->open_units.size() == 2);
  l.expire(50'000);
  CHECK(l.sweep(1)->deadline_passed);
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{11});
  CHECK(l.unit(10) == nullptr);
  CHECK(l.take_judge_orders().empty());
  l.ledger().hello("vp2", 4, 50'000);
  CHECK(run_all(l, "vp2", 50'100) == std::vector<std::uint64_t>{11});
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].state == "incomplete");
}

TEST_CASE("lifecycle: a sweep's units go only to probers with its tags", "[sweep]") {
  SweepLifecycle l(config(), 64);
  StoredSweep info = sweep_info(1);
  info.settings.probers = "country=NL";
  l.add_sweep(info);
  l.add_units(1, {unit(10, 1)});
  CHECK_FALSE(l.may_run(10, {{"country", "DE"}}, 0));
  CHECK(l.may_run(10, {{"country", "NL"}, {"asn", "1136"}}, 0));
}

TEST_CASE("lifecycle: re-ask units wait for their delay, and the re-ask deadline ends the wait", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  l.add_units(1, {unit(10, 1)});
  l.ledger().hello("vp1", 4, 0);
  run_all(l, "vp1", 0);
  REQUIRE(l.take_judge_orders().size() == 1);
  l.judging_ended(1);
  REQUIRE(l.may_reask(1));
  // The store hands back every open unit of the sweep; only the re-ask ones are taken.
  l.enter_reask(1, {unit(20, 1, "vp1", true), unit(21, 1, "vp2", true), unit(22, 1, "vp1", false)}, 3'000);
  CHECK_FALSE(l.may_reask(1));
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{20, 21});
  CHECK_FALSE(l.may_run(20, {}, 2'999));
  CHECK(l.may_run(20, {}, 3'000));
  // vp2 never comes; vp1 stays silent but alive until the re-ask deadline (3 s + 60 s).
  for (std::int64_t t = 1'000; t < 63'000; t += 1'000) {
    l.ledger().seen("vp1", t);
    l.expire(t);
  }
  CHECK(l.take_judge_orders().empty());
  l.ledger().seen("vp1", 63'000);
  l.expire(63'000);
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].state == "complete");
  CHECK(l.sweep(1)->open_units.empty());
  CHECK(l.unit(20) == nullptr);
  CHECK_FALSE(l.ledger().holder(20));
}

TEST_CASE("lifecycle: a vantage declared gone gives up its re-ask units at once, not a lease later", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  l.ledger().hello("vp1", 4, 0);
  l.ledger().hello("vp2", 4, 0);
  l.sweep(1)->final_state = "complete";
  l.enter_reask(1, {unit(20, 1, "vp1", true), unit(21, 1, "vp2", true)}, 0);
  l.ledger().add_credit("vp1", 1, 0);
  REQUIRE(l.ledger().assign("vp1", 0).size() == 1);  // vp1 holds its re-ask unit, then dies
  // vp2 answers its unit; vp1 falls silent.
  for (std::int64_t t = 1'000; t <= 3'000; t += 1'000) {
    l.ledger().seen("vp2", t);
    CHECK(l.expire(t).empty());
  }
  CHECK(run_all(l, "vp2", 3'000) == std::vector<std::uint64_t>{21});
  CHECK(l.take_judge_orders().empty());  // vp1's unit is still open
  l.ledger().seen("vp2", 4'000);
  CHECK(l.expire(4'000) == std::vector<std::string>{"vp1"});  // silent for more than 3 heartbeats
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].state == "complete");
  CHECK(l.unit(20) == nullptr);
}

TEST_CASE("lifecycle: a re-asking vantage that says goodbye leaves the others' units open", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  l.ledger().hello("vp1", 4, 0);
  l.ledger().hello("vp2", 4, 0);
  l.enter_reask(1, {unit(20, 1, "vp1", true), unit(21, 1, "vp2", true)}, 0);
  l.prober_left("vp1");
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{21});
  CHECK(l.take_judge_orders().empty());
  CHECK(l.take_notes() == std::vector<std::string>{"sweep 1: 1 re-ask units of vp1 given up: it is gone"});
  l.prober_left("vp2");
  CHECK(l.take_judge_orders().size() == 1);
}

TEST_CASE("lifecycle: a gone prober's units of the first asking wait, as before", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1, 100'000));
  l.add_units(1, {unit(10, 1, "vp1")});
  l.ledger().hello("vp1", 4, 0);
  l.ledger().add_credit("vp1", 1, 0);
  REQUIRE(l.ledger().assign("vp1", 0).size() == 1);
  CHECK(l.expire(4'000) == std::vector<std::string>{"vp1"});
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{10});  // it may come back before the deadline
  CHECK(l.take_judge_orders().empty());
}

TEST_CASE("lifecycle: an ended sweep's units are forgotten, and may go to be dropped", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  l.add_units(1, {unit(10, 1)});
  CHECK(l.running("sweep 1"));
  l.end(1);
  CHECK_FALSE(l.running("sweep 1"));
  CHECK(l.unit(10) == nullptr);
  CHECK(l.ledger().complete());
  CHECK(l.may_run(10, {}, 0));
}

TEST_CASE("lifecycle: units wait for their sweep's truth, until it comes, fails or its wait ends", "[sweep]") {
  SweepLifecycle l(config(), 64);
  l.add_sweep(sweep_info(1));
  l.add_sweep(sweep_info(2));
  l.add_sweep(sweep_info(3));
  CHECK(l.add_units(1, {unit(10, 1)}).empty());
  CHECK(l.add_units(2, {unit(20, 2)}).empty());
  CHECK(l.add_units(3, {unit(30, 3)}).empty());
  for (std::uint64_t s : {1, 2, 3}) l.await_truth(s, 30'000);
  for (std::uint64_t u : {10, 20, 30}) CHECK_FALSE(l.may_run(u, {}, 1'000));
  AnswerSets sets;
  sets[Question{"mx.example.", 1}] = {protocol::AnswerSet{0, {{"mx.example.", 1, 300, "192.0.2.25"}}}};
  l.set_answer_sets(1, sets);  // the truth came
  l.truth_failed(2);           // the lookup failed: answers come back in full
  CHECK(l.may_run(10, {}, 1'000));
  CHECK(l.may_run(20, {}, 1'000));
  CHECK_FALSE(l.may_run(30, {}, 29'999));
  CHECK(l.may_run(30, {}, 30'000));  // waited long enough
}

TEST_CASE("lifecycle: a unit waits only for its own questions' truths", "[sweep]") {
  SweepLifecycle l(config(), 64);
  auto space = std::make_shared<const TaskSpace>(
      std::vector<std::string>{"192.0.2.1", "192.0.2.2"},
      std::vector<Question>{{"a.example.", 1}, {"b.example.", 1}, {"c.example.", 1}});
  l.add_sweep(sweep_info(1), space);
  // Units of 2 tasks: one question each; unit 12 straddles nothing, unit 13 spans b and c.
  std::vector<StoredUnit> units;
  for (auto [id, first, count] : {std::tuple{10u, 0u, 2u}, {11u, 2u, 2u}, {12u, 4u, 2u}, {13u, 3u, 2u}}) {
    StoredUnit u;
    u.id = id;
    u.sweep = 1;
    u.range = TaskRange{0, 2, first, count};
    units.push_back(u);
  }
  CHECK(l.add_units(1, units).empty());
  l.await_truth(1, 30'000);
  for (std::uint64_t u : {10, 11, 12, 13}) CHECK_FALSE(l.may_run(u, {}, 1'000));

  protocol::AnswerSet b{0, {{"b.example.", 1, 300, "192.0.2.25"}}};
  l.add_answer_sets(1, 1, Question{"b.example.", 1}, {b});
  CHECK(l.may_run(11, {}, 1'000));  // b's truth is in
  CHECK_FALSE(l.may_run(10, {}, 1'000));
  CHECK_FALSE(l.may_run(13, {}, 1'000));  // b and c: c is still out
  CHECK(l.sweep(1)->digests.count(Question{"b.example.", 1}) == 1);

  l.add_answer_sets(1, 2, Question{"c.example.", 1}, {});  // found, nothing to match
  CHECK(l.may_run(12, {}, 1'000));
  CHECK(l.may_run(13, {}, 1'000));
  CHECK(l.sweep(1)->answer_sets.count(Question{"c.example.", 1}) == 0);

  // A place that does not hold the question named is not taken for it.
  l.add_answer_sets(1, 0, Question{"z.example.", 1}, {b});
  CHECK_FALSE(l.may_run(10, {}, 1'000));
  CHECK(l.may_run(10, {}, 30'000));  // the wait's end still holds

  l.set_answer_sets(1, {});  // the whole truth: nothing waits
  CHECK(l.may_run(10, {}, 1'000));
}

namespace {

const std::map<std::string, std::string> nl{{"country", "NL"}}, de{{"country", "DE"}};

/// A sweep re-asking on probers tagged country=NL; vp1 and vp2 are such probers, vp3 is not.
/// vp1's local resolver is 192.0.2.9.
void reask_on_nl(SweepLifecycle& l, std::vector<StoredUnit> units) {
  StoredSweep info = sweep_info(1);
  info.settings.probers = "country=NL";
  l.add_sweep(info);
  l.sweep(1)->final_state = "complete";
  for (const auto& [name, tags] : std::map<std::string, std::map<std::string, std::string>>{{"vp1", nl}, {"vp2", nl}, {"vp3", de}}) {
    l.ledger().hello(name, 4, 0);
    l.vantages().hello(name, tags, name == "vp1" ? std::vector<std::string>{"192.0.2.9"} : std::vector<std::string>{});
  }
  l.enter_reask(1, std::move(units), 0);
}

bool noted(SweepLifecycle& l, const std::string& text) {
  auto notes = l.take_notes();
  return std::find(notes.begin(), notes.end(), text) != notes.end();
}

}  // namespace

TEST_CASE("lifecycle: a vantage declared gone while re-asking: another prober of the sweep asks in its place", "[sweep]") {
  SweepLifecycle l(config(), 64);
  reask_on_nl(l, {unit(20, 1, "vp1", true)});
  l.ledger().add_credit("vp1", 1, 0);
  REQUIRE(l.ledger().assign("vp1", 0).size() == 1);
  REQUIRE(l.ledger().record_result("vp1", 20, 0, 500) == ResultFate::counted);  // one answer, then silence
  for (std::int64_t t = 1'000; t <= 3'000; t += 1'000)
    for (const char* p : {"vp2", "vp3"}) l.ledger().seen(p, t);
  l.ledger().seen("vp2", 4'000);
  l.ledger().seen("vp3", 4'000);
  CHECK(l.expire(4'000) == std::vector<std::string>{"vp1"});
  CHECK(noted(l, "sweep 1: 1 re-ask units of vp1 go to another vantage: it is gone"));
  CHECK(l.take_judge_orders().empty());
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{20});
  REQUIRE(l.unit(20) != nullptr);
  CHECK_FALSE(l.unit(20)->bound());
  // Only a prober with the sweep's tags takes it, and only what is still unanswered is asked.
  CHECK_FALSE(l.may_run(20, de, 4'000));
  l.ledger().add_credit("vp3", 1, 4'000);
  CHECK(l.ledger().assign("vp3", 4'000, [&](std::uint64_t u) { return l.may_run(u, de, 4'000); }).empty());
  l.ledger().add_credit("vp2", 1, 4'000);
  REQUIRE(l.ledger().assign("vp2", 4'000, [&](std::uint64_t u) { return l.may_run(u, nl, 4'000); }).size() == 1);
  CHECK(l.ledger().task_done(20, 0));
  CHECK_FALSE(l.ledger().task_done(20, 1));
  CHECK(l.ledger().record_result("vp2", 20, 1, 4'500) == ResultFate::counted);
  CHECK(l.unit_done("vp2", 20, 4'500));
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].state == "complete");
}

TEST_CASE("lifecycle: a gone vantage's re-asks of its own local resolver are given up at once", "[sweep]") {
  SweepLifecycle l(config(), 64);
  StoredUnit local = unit(21, 1, "vp1", true);
  local.tasks.push_back(protocol::WorkTask{2, "192.0.2.9", "mx.example.", 1});  // only vp1 reaches it
  reask_on_nl(l, {unit(20, 1, "vp1", true), local});
  l.prober_left("vp1");
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{20});
  CHECK(l.unit(21) == nullptr);
  auto notes = l.take_notes();
  CHECK(notes == std::vector<std::string>{"sweep 1: 1 re-ask units of vp1 go to another vantage: it is gone",
                                          "sweep 1: 1 re-ask units of vp1 given up: it is gone"});
}

TEST_CASE("lifecycle: with no other prober of the sweep's tags, a gone vantage's re-asks are given up at once", "[sweep]") {
  SweepLifecycle l(config(), 64);
  reask_on_nl(l, {unit(20, 1, "vp1", true), unit(21, 1, "vp2", true)});
  l.prober_left("vp2");  // vp1 is there to stand in for vp2
  CHECK(l.sweep(1)->open_units == std::set<std::uint64_t>{20, 21});
  CHECK_FALSE(l.unit(21)->bound());
  l.take_notes();
  l.prober_left("vp1");  // vp3 is left, without the sweep's tags: nobody may ask in their place
  CHECK(l.sweep(1)->open_units.empty());
  CHECK(noted(l, "sweep 1: 2 re-ask units of vp1 given up: it is gone, and no other prober may run the sweep"));
  auto orders = l.take_judge_orders();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].state == "complete");
}

TEST_CASE("lifecycle: another vantage may ask again only an open resolver, with a prober of the sweep there", "[sweep]") {
  SweepLifecycle l(config(), 64);
  reask_on_nl(l, {unit(20, 1, "vp2", true)});
  const Endpoint open = *Endpoint::parse("192.0.2.1"), local = *Endpoint::parse("192.0.2.9");
  l.prober_left("vp1");
  CHECK(l.may_ask_elsewhere(1, "vp1", open));       // vp2 has the tags
  CHECK_FALSE(l.may_ask_elsewhere(1, "vp1", local)); // vp1's own ISP resolver
  CHECK_FALSE(l.may_ask_elsewhere(1, "vp9", open));  // never said HELLO here: its local resolvers are unknown
  CHECK_FALSE(l.may_ask_elsewhere(2, "vp1", open));  // no such sweep
  l.prober_left("vp2");
  CHECK_FALSE(l.may_ask_elsewhere(1, "vp1", open));  // only vp3 is left, without the tags
}
