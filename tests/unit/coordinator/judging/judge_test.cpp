// The one judging pipeline on fixtures: the resolvers' tagged ASes in the answer spread, the
// re-verified truth, the second answers, in the order `mxsentry check` and the sweeps take them.
#include <catch2/catch.hpp>

#include "coordinator/judging/judge.h"
#include "targets/resolver_catalog.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;

namespace {

constexpr std::uint16_t type_a = 1;

// An AS database that knows one address.
struct OneAddressAsnDb : AsnDatabase {
  Endpoint address;
  std::uint32_t asn;
  OneAddressAsnDb(const std::string& text, std::uint32_t origin) : address(*Endpoint::parse(text)), asn(origin) {}
  std::optional<AsnInfo> lookup(const Endpoint& a) const override {
    if (!(a == address)) return std::nullopt;
    AsnInfo info;
    info.asns = {asn};
    return info;
  }
};

// The truth of mx.example. A, and a run over it without keys, AS database or IOC list.
struct Run {
  AnalysisConfig config;
  std::map<Question, Truth> truths{{Question{"mx.example.", type_a},
                                    test::truth_of("mx.example.", type_a, {test::rr("mx.example.", type_a, 300, "192.0.2.10")})}};
  dnssec::Validator validator;
  ResolverAsns asns;
  JudgingInputs inputs() { return JudgingInputs{&config, &truths, &validator, &asns, nullptr, nullptr}; }
};

Observation forged(const std::string& resolver, std::uint32_t ttl = 3600) {
  Observation o = test::answer_of(resolver, "mx.example.", type_a, {test::rr("mx.example.", type_a, ttl, "203.0.113.66")});
  o.time_ms = 1'700'000'000'000;
  return o;
}

}  // namespace

TEST_CASE("judge: the resolvers' tagged ASes reach the answer spread", "[judging]") {
  Run run;
  ResolverCatalog catalog = parse_resolver_catalog("192.0.2.53 asn=19281\n198.51.100.53 asn=15169\n203.0.113.53\n",
                                                   "resolvers.txt", ResolverListOptions{true});
  run.asns = tagged_asns(catalog.resolvers);
  Judge judge(run.inputs());
  std::vector<Observation> observations{forged("192.0.2.53"), forged("198.51.100.53"), forged("203.0.113.53")};
  for (const auto& o : observations) judge.add("local", o);
  CHECK(judge.resolver_asn(*Endpoint::parse("192.0.2.53")) == 19281);
  CHECK(judge.resolver_ases() == std::set<std::uint32_t>{15169, 19281});
  auto spread = judge.spread(Question{"mx.example.", type_a}, test::rr("mx.example.", type_a, 0, "203.0.113.66"));
  CHECK(spread.resolvers == 3);
  CHECK(spread.networks == 2);  // the untagged resolver's AS is unknown: not counted
}

TEST_CASE("judge: the AS database answers for untagged resolvers only", "[judging]") {
  Run run;
  run.asns = tagged_asns(parse_resolver_catalog("192.0.2.53 asn=19281\n", "resolvers.txt", ResolverListOptions{true}).resolvers);
  OneAddressAsnDb db("192.0.2.53", 64500);
  OneAddressAsnDb other("198.51.100.53", 64501);
  JudgingInputs inputs = run.inputs();
  inputs.asn_db = &db;
  CHECK(Judge(inputs).resolver_asn(*Endpoint::parse("192.0.2.53")) == 19281);  // the tag wins
  inputs.asn_db = &other;
  CHECK(Judge(inputs).resolver_asn(*Endpoint::parse("198.51.100.53")) == 64501);
  CHECK(Judge(inputs).resolver_asn(*Endpoint::parse("203.0.113.53")) == 0);
}

TEST_CASE("judge: unmatched questions, re-verified records and second answers", "[judging]") {
  Run run;
  Judge judge(run.inputs());
  std::vector<Observation> observations{forged("192.0.2.53"),
                                        test::answer_of("198.51.100.53", "mx.example.", type_a,
                                                        {test::rr("mx.example.", type_a, 300, "192.0.2.10")})};
  for (const auto& o : observations) judge.add("local", o);
  CHECK(judge.unmatched_questions() == std::set<Question>{Question{"mx.example.", type_a}});
  REQUIRE(judge.flagged() == std::vector<std::size_t>{0});

  SECTION("a cache counts the forged TTL down") {
    Observation again = forged("192.0.2.53", 3590);
    again.time_ms = observations[0].time_ms + 10'000;
    judge.add_second_answer(0, again);
    std::vector<Verdict> verdicts = judge.verdicts();
    REQUIRE(verdicts.size() == 2);
    CHECK(verdicts[0].has(Evidence::cached_forgery));
    CHECK(verdicts[0].attack == "cache");
    CHECK(verdicts[1].verdict == VerdictClass::consistent);
  }
  SECTION("a record the authoritative servers give when asked again is not flagged") {
    Truth& truth = run.truths.begin()->second;  // as reverify_truths leaves it
    truth.answers.push_back(test::rr("mx.example.", type_a, 3600, "203.0.113.66"));
    truth.ttl_max = 3600;
    judge.set_reverified({record_key(test::rr("mx.example.", type_a, 3600, "203.0.113.66"))});
    CHECK(judge.flagged().empty());
    CHECK(judge.verdicts()[0].has(Evidence::reverified_authoritative));
  }
}

TEST_CASE("judge: an observation of a question without a truth is judged unknown", "[judging]") {
  Run run;
  Judge judge(run.inputs());
  Observation o = test::answer_of("192.0.2.53", "other.example.", type_a, {test::rr("other.example.", type_a, 60, "192.0.2.1")});
  judge.add("local", o);
  CHECK(judge.verdicts().at(0).has(Evidence::no_truth));
}

TEST_CASE("judge: a flagged answer whose vantage is gone takes the second answer another vantage got", "[judging]") {
  Run run;
  Judge judge(run.inputs());
  Observation first = forged("192.0.2.53");
  Observation right = test::answer_of("192.0.2.53", "mx.example.", type_a, {test::rr("mx.example.", type_a, 300, "192.0.2.10")});
  judge.count("vp1", first);
  judge.count("vp2", right);
  REQUIRE(judge.judge_one("vp1", first).flagged());

  SecondAnswers again;
  Observation counted = forged("192.0.2.53", 3590);
  counted.time_ms = first.time_ms + 10'000;
  again.add("vp3", counted);  // vp1 gone, vp3 asked in its place

  SECTION("another vantage's countdown: cached-forgery, and who asked") {
    Verdict v = judge.judge_one("vp1", first, again);
    CHECK(v.has(Evidence::reasked_elsewhere));
    CHECK(v.has(Evidence::cached_forgery));
    CHECK(v.attack == "cache");
    CHECK(v.reasked_by == "vp3");
    // An answer that was not flagged was not asked again for itself: it takes nothing.
    Verdict plain = judge.judge_one("vp2", right, again);
    CHECK(plain.verdict == VerdictClass::consistent);
    CHECK_FALSE(plain.has(Evidence::reasked_elsewhere));
    CHECK(plain.reasked_by.empty());
  }
  SECTION("another vantage's fresh TTL says nothing of the attack") {
    Observation fresh = forged("192.0.2.53", 3600);
    fresh.time_ms = first.time_ms + 10'000;
    SecondAnswers elsewhere;
    elsewhere.add("vp3", fresh);
    Verdict v = judge.judge_one("vp1", first, elsewhere);
    CHECK(v.has(Evidence::reasked_elsewhere));
    CHECK_FALSE(v.has(Evidence::fresh_ttl));
    CHECK(v.attack.empty());
  }
  SECTION("its own vantage's second answer wins") {
    Observation fresh = forged("192.0.2.53", 3600);
    fresh.time_ms = first.time_ms + 10'000;
    again.add("vp1", fresh);
    Verdict v = judge.judge_one("vp1", first, again);
    CHECK(v.has(Evidence::fresh_ttl));
    CHECK_FALSE(v.has(Evidence::reasked_elsewhere));
    CHECK(v.attack == "injection");
    CHECK(v.reasked_by.empty());
  }
}
