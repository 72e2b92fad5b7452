// Results taken in: checked against their tasks, compact ones rebuilt, counted once, and not
// counted when the store refused them.
#include <catch2/catch.hpp>

#include <tuple>

#include "coordinator/judging/answer_counter.h"
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

TEST_CASE("result intake: the measurement's answers are counted as they are taken, each once, as a judging would",
          "[sweep][judging]") {
  SweepLifecycle l = leased();
  const protocol::AnswerSet truth{0, {{"mx.example.", 1, 300, "192.0.2.25"}, {"mx.example.", 1, 300, "192.0.2.26"}}};
  l.set_answer_sets(1, AnswerSets{{Question{"mx.example.", 1}, {truth}}});
  auto counter = std::make_shared<AnswerCounter>(ResolverAsns{{*Endpoint::parse("192.0.2.2"), 64500}}, nullptr);
  l.sweep(1)->answers = counter;

  // Task 0 in full with a forged record, task 1 compact (the truth's set); then both again.
  Observation forged = answer(0, "192.0.2.1", 0);
  forged.answers = {{"mx.example.", 1, 60, "198.51.100.7"}};
  Observation matching = answer(1, "192.0.2.2", 0);
  matching.answers = truth.records;
  auto matched = protocol::match_answer(matching, key, l.sweep(1)->digests.at(Question{"mx.example.", 1}));
  REQUIRE(matched);
  protocol::Results r;
  r.unit = 10;
  r.observations = {forged};
  r.matched = {*matched};
  for (int copy = 0; copy < 2; ++copy) take_results(l, "vp1", r, 100);

  // The same two results counted by a judging's own pass.
  AnalysisConfig config;
  std::map<Question, Truth> truths;
  ResolverAsns asns{{*Endpoint::parse("192.0.2.2"), 64500}};
  Judge judge(JudgingInputs{&config, &truths, nullptr, &asns, nullptr, nullptr});
  judge.count("vp1", forged);
  judge.count("vp1", matching);
  judge.set_vantages(1);
  const Judge::Counts expected = judge.counts(), got = counter->counts(false);
  CHECK(got.observations == 2);
  CHECK(got.observations == expected.observations);
  CHECK(got.resolver_ases == expected.resolver_ases);
  CHECK(got.vantages == expected.vantages);
  for (const char* record : {"mx.example. 1 198.51.100.7", "mx.example. 1 192.0.2.25", "mx.example. 1 192.0.2.26"}) {
    INFO(record);
    auto a = got.distribution.spread("mx.example.", 1, record), b = expected.distribution.spread("mx.example.", 1, record);
    CHECK(a.resolvers == 1);
    CHECK(std::tie(a.resolvers, a.vantages, a.networks) == std::tie(b.resolvers, b.vantages, b.networks));
  }
  CHECK(got.distribution.answering("mx.example.", 1) == 2);

  // A re-ask unit's results are second answers: not counted.
  StoredUnit again;
  again.id = 11;
  again.sweep = 1;
  again.reask = true;
  again.owner = "vp1";
  again.tasks = {protocol::WorkTask{0, "192.0.2.1", "mx.example.", 1}};
  l.add_units(1, {again});
  l.ledger().add_credit("vp1", 1, 0);
  REQUIRE(l.ledger().assign("vp1", 0).size() == 1);
  protocol::Results second;
  second.unit = 11;
  second.observations = {forged};
  REQUIRE(take_results(l, "vp1", second, 200).fresh.size() == 1);
  CHECK(counter->counted() == 2);
}
