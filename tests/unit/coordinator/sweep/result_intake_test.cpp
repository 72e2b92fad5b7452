// Results taken in: checked against their tasks, compact ones rebuilt, counted once, and not
// counted when the store refused them.
#include <catch2/catch.hpp>

#include "coordinator/sweep/result_intake.h"
#include "protocol/answer_sets.h"

using namespace mxsentry;

namespace {

const protocol::DigestKey key{1, 2};

/// Sweep 1 with unit 10 (two tasks: mx.example./A at two resolvers) leased to vp1.
SweepLifecycle leased() {
  LedgerConfig c;
  c.lease_ms = 10'000;
  SweepLifecycle l(c, 64);
  StoredSweep info;
  info.id = 1;
  info.settings.digest_key = key;
  l.add_sweep(info);
  StoredUnit u;
  u.id = 10;
  u.sweep = 1;
  u.tasks = {protocol::WorkTask{0, "192.0.2.1", "mx.example.", 1}, protocol::WorkTask{1, "192.0.2.2", "mx.example.", 1}};
  l.add_units(1, {u});
  l.ledger().add_credit("vp1", 1, 0);
  REQUIRE(l.ledger().assign("vp1", 0).size() == 1);
  return l;
}

Observation answer(std::uint32_t task, const char* resolver, int rcode = 3) {
  Observation o;
  o.resolver = *Endpoint::parse(resolver);
  o.qname = "MX.example.";  // a resolver may change the case
  o.qtype = 1;
  o.task_index = task;
  o.outcome = Outcome::answer;
  o.rcode = rcode;
  return o;
}

}  // namespace

TEST_CASE("result intake: an observation counts once, from the holder, for its own task", "[sweep]") {
  SweepLifecycle l = leased();
  protocol::Results r;
  r.unit = 10;
  r.observations = {answer(0, "192.0.2.1"), answer(1, "192.0.2.9"), answer(0, "192.0.2.1"), answer(7, "192.0.2.1")};
  r.rejected = 2;
  ResultIntake in = take_results(l, "vp1", r, 100);
  REQUIRE(in.fresh.size() == 1);
  CHECK(in.fresh[0].unit == 10);
  CHECK(in.fresh[0].task == 0);
  CHECK(in.fresh[0].vantage == "vp1");
  CHECK(in.full == 2);             // the first copy, and its duplicate
  CHECK(in.late_or_unknown == 2);  // the duplicate, and task 7 that the unit does not have
  CHECK(in.refused == std::vector<std::string>{"RESULTS: 2 results did not decode",
                                               "RESULTS: observation does not answer its task"});
  CHECK(l.ledger().task_done(10, 0));

  protocol::Results other;
  other.unit = 10;
  other.observations = {answer(1, "192.0.2.2")};
  ResultIntake late = take_results(l, "vp2", other, 200);  // vp2 does not hold the unit
  CHECK(late.fresh.empty());
  CHECK(late.late_or_unknown == 1);
}

TEST_CASE("result intake: a compact result is checked against its answer set and kept compact, or refused", "[sweep]") {
  SweepLifecycle l = leased();
  l.set_answer_sets(1, AnswerSets{{Question{"mx.example.", 1}, {protocol::AnswerSet{3, {}}}}});
  REQUIRE(l.sweep(1)->digests.at(Question{"mx.example.", 1}).size() == 1);
  auto matched = protocol::match_answer(answer(1, "192.0.2.2"), key, l.sweep(1)->digests.at(Question{"mx.example.", 1}));
  REQUIRE(matched);
  protocol::MatchedResult wrong_set = *matched;
  wrong_set.answer_set = 5;
  protocol::MatchedResult wrong_ttls = *matched;  // a TTL for a set without records
  wrong_ttls.ttls = {300};
  protocol::Results r;
  r.unit = 10;
  r.matched = {wrong_set, wrong_ttls, *matched};
  ResultIntake in = take_results(l, "vp1", r, 100);
  REQUIRE(in.fresh.size() == 1);
  CHECK(in.fresh[0].task == 1);
  REQUIRE(in.fresh[0].matched);
  CHECK(*in.fresh[0].matched == *matched);
  CHECK(in.compact == 1);
  CHECK(in.refused == std::vector<std::string>(2, "RESULTS: a compact result that matches no answer set of its task"));
}

TEST_CASE("result intake: a full answer with a record the truth lacks marks its question for re-verifying", "[sweep]") {
  SweepLifecycle l = leased();
  l.set_answer_sets(1, AnswerSets{{Question{"mx.example.", 1}, {protocol::AnswerSet{0, {{"mx.example.", 1, 300, "192.0.2.25"}}}}}});
  Observation same = answer(0, "192.0.2.1", 0);
  same.answers = {{"mx.example.", 1, 60, "192.0.2.25"}};  // sent in full (say, by an older prober): no mark
  protocol::Results r;
  r.unit = 10;
  r.observations = {same};
  take_results(l, "vp1", r, 100);
  CHECK(l.sweep(1)->early_reverify.empty());
  Observation other = answer(1, "192.0.2.2", 0);
  other.answers = {{"mx.example.", 1, 60, "198.51.100.7"}};
  r.observations = {other};
  take_results(l, "vp1", r, 100);
  CHECK(l.sweep(1)->early_reverify.take() == std::set<Question>{{"mx.example.", 1}});
  r.observations = {other};  // a duplicate is not counted, and marks nothing
  take_results(l, "vp1", r, 100);
  CHECK(l.sweep(1)->early_reverify.empty());
}
