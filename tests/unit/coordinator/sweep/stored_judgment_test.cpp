// A sweep's verdict kept as the judging's part only (stored_judgment.h): read back beside its
// result and its question's expected facts, it is the verdict the judge wrote, field by field;
// what the result and the facts cannot give is kept as an override; damaged rows are refused.
#include <catch2/catch.hpp>

#include "coordinator/analysis/analyse.h"
#include "coordinator/analysis/analysis_config.h"
#include "coordinator/analysis/verdict_output.h"
#include "coordinator/sweep/stored_judgment.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;

namespace {

constexpr std::uint16_t type_a = 1, type_cname = 5;

Verdict round_trip(const Verdict& v, const Observation& o, const ExpectedFacts& facts, const std::string& vantage = "vp1") {
  return stored_verdict(stored_judgment(v, vantage, o, facts), vantage, o, facts);
}

}  // namespace

TEST_CASE("stored judgment: the analysis's verdicts come back line for line, without overrides", "[sweep][storage]") {
  AnalysisConfig config;
  auto context = test::context_for(config);
  const Truth truth = test::truth_of("mx.example.", type_a, {test::rr("mx.example.", type_a, 300, "198.51.100.25"),
                                                              test::rr("mx.example.", type_a, 300, "198.51.100.26")});
  // A forgery with a raised TTL, a match in another order and spelling, a refusal, a timeout.
  std::vector<Observation> observations{
      test::answer_of("192.0.2.53", "mx.example.", type_a, {test::rr("mx.example.", type_a, 86400, "203.0.113.9")}),
      test::answer_of("192.0.2.54", "MX.example.", type_a, {test::rr("mx.example.", type_a, 120, "198.51.100.26"),
                                                            test::rr("mx.example.", type_a, 120, "198.51.100.25")}),
      test::answer_of("192.0.2.55", "mx.example.", type_a, {}, 5),
  };
  Observation silent;
  silent.resolver = *Endpoint::parse("192.0.2.56");
  silent.qname = "mx.example.";
  silent.qtype = type_a;
  silent.outcome = Outcome::timeout;
  observations.push_back(silent);

  const ExpectedFacts facts = expected_facts(analyse("vp1", observations[0], truth, context));
  for (const auto& o : observations) {
    Verdict v = analyse("vp1", o, truth, context);
    StoredJudgment stored = stored_judgment(v, "vp1", o, facts);
    INFO(verdict_json_line(v));
    CHECK(stored.overrides.empty());
    CHECK(stored.evidence.size() == v.evidence.size());
    CHECK(verdict_json_line(stored_verdict(stored, "vp1", o, facts)) == verdict_json_line(v));
  }
}

TEST_CASE("stored judgment: every field the result and the facts do not give is kept and comes back",
          "[sweep][storage]") {
  Observation o = test::answer_of("192.0.2.53", "mx.example.", type_a,
                                  {test::rr("mx.example.", type_cname, 600, "mx2.example."),
                                   test::rr("mx2.example.", type_a, 60, "203.0.113.9")});
  const ExpectedFacts facts{{"198.51.100.25"}, 300, "secure"};
  Verdict v = base_verdict("vp1", o, facts);
  REQUIRE(v.observed == std::vector<std::string>{"203.0.113.9"});
  REQUIRE(v.ttl == 600);
  v.verdict = VerdictClass::poisoned;
  v.confidence = 0.8954;  // kept in thousandths, as the line prints it
  v.evidence = {Evidence::not_in_truth, Evidence::dnssec_bogus, Evidence::fresh_ttl};
  v.attack = "injection";
  CHECK(stored_judgment(v, "vp1", o, facts).overrides.empty());  // the attack follows from the evidence

  // Each field changed alone: one override each, and the verdict read back says it.
  std::vector<std::pair<const char*, std::function<void(Verdict&)>>> changes{
      {"vantage", [](Verdict& x) { x.vantage = "vp2"; }},
      {"resolver", [](Verdict& x) { x.resolver = *Endpoint::parse("192.0.2.99:5353"); }},
      {"qname", [](Verdict& x) { x.qname = "Mx.Example."; }},
      {"qtype", [](Verdict& x) { x.qtype = 28; }},
      {"observed", [](Verdict& x) { x.observed = {"203.0.113.9", "a \"quoted\" \xff byte"}; }},
      {"expected", [](Verdict& x) { x.expected = {}; }},
      {"ttl", [](Verdict& x) { x.ttl = 4294967295u; }},
      {"expected_ttl", [](Verdict& x) { x.expected_ttl = 0; }},
      {"dnssec", [](Verdict& x) { x.dnssec = "bogus"; }},
      {"rcode", [](Verdict& x) { x.rcode = -1; }},
      {"attack", [](Verdict& x) { x.attack = ""; }},
      {"reasked_by", [](Verdict& x) { x.reasked_by = "vp3"; }},
  };
  for (const auto& [name, change] : changes) {
    Verdict changed = v;
    change(changed);
    StoredJudgment stored = stored_judgment(changed, "vp1", o, facts);
    INFO(name << ": " << stored.overrides);
    CHECK(stored.overrides.find(std::string("\"") + name + "\":") != std::string::npos);
    CHECK(verdict_json_line(stored_verdict(stored, "vp1", o, facts)) == verdict_json_line(changed));
  }
  Verdict back = round_trip(v, o, facts);
  CHECK(back.confidence == Approx(0.895));
  CHECK(verdict_json_line(back) == verdict_json_line(v));
}

TEST_CASE("stored judgment: a damaged row is refused, not read as another verdict", "[sweep][storage]") {
  Observation o = test::answer_of("192.0.2.53", "mx.example.", type_a, {test::rr("mx.example.", type_a, 60, "203.0.113.9")});
  const ExpectedFacts facts{{"198.51.100.25"}, 300, "insecure"};
  StoredJudgment good;
  good.verdict = VerdictClass::suspicious;
  good.confidence_millis = 600;
  good.evidence = std::string(1, static_cast<char>(Evidence::not_in_truth));
  REQUIRE_NOTHROW(stored_verdict(good, "vp1", o, facts));

  auto bad = good;
  bad.verdict = static_cast<VerdictClass>(8);
  CHECK_THROWS_AS(stored_verdict(bad, "vp1", o, facts), std::invalid_argument);
  bad = good, bad.verdict = static_cast<VerdictClass>(-1);
  CHECK_THROWS_AS(stored_verdict(bad, "vp1", o, facts), std::invalid_argument);
  bad = good, bad.confidence_millis = 1001;
  CHECK_THROWS_AS(stored_verdict(bad, "vp1", o, facts), std::invalid_argument);
  bad = good, bad.confidence_millis = -1;
  CHECK_THROWS_AS(stored_verdict(bad, "vp1", o, facts), std::invalid_argument);
  bad = good, bad.evidence.push_back(static_cast<char>(all_evidence().size()));
  CHECK_THROWS_AS(stored_verdict(bad, "vp1", o, facts), std::invalid_argument);
  for (const char* overrides : {"not json", "[1]", "{\"verdict\":\"consistent\"}", "{\"ttl\":-1}", "{\"ttl\":\"5\"}",
                                "{\"resolver\":\"no address\"}", "{\"qtype\":\"NOTATYPE\"}", "{\"observed\":[1]}"}) {
    bad = good, bad.overrides = overrides;
    INFO(overrides);
    CHECK_THROWS_AS(stored_verdict(bad, "vp1", o, facts), std::invalid_argument);
  }
}

TEST_CASE("stored judgment: expected facts round trip, and only they may be set", "[sweep][storage]") {
  for (const ExpectedFacts& facts : {ExpectedFacts{}, ExpectedFacts{{"198.51.100.25", "mx \"1\""}, 3600, "secure"}})
    CHECK(parse_expected_facts(expected_facts_json(facts)) == facts);
  CHECK_THROWS_AS(parse_expected_facts("{\"ttl\":5}"), std::invalid_argument);
  CHECK_THROWS_AS(parse_expected_facts("{\"expected\":\"one\"}"), std::invalid_argument);
}

TEST_CASE("stored judgment: the numbers classes and evidence are stored as never change", "[sweep][storage]") {
  // A file written by this version is read by every later one: new enumerators go at the end.
  for (std::size_t i = 0; i < all_evidence().size(); ++i) CHECK(static_cast<std::size_t>(all_evidence()[i]) == i);
  CHECK(static_cast<int>(Evidence::match) == 0);
  CHECK(static_cast<int>(Evidence::not_in_truth) == 2);
  CHECK(static_cast<int>(Evidence::cached_forgery) == 17);
  CHECK(static_cast<int>(Evidence::bad_address) == 32);
  CHECK(static_cast<int>(VerdictClass::consistent) == 0);
  CHECK(static_cast<int>(VerdictClass::poisoned) == 3);
  CHECK(static_cast<int>(VerdictClass::not_asked) == 7);
}
