// ReportBuilder: counts, flagged verdicts with where their resolvers are, answers per host, the
// persistence of forged records over runs, and the trend, from items given one at a time.
#include <catch2/catch.hpp>

#include "results/report/report_builder.h"

using namespace mxsentry;

namespace {

ReportVerdict verdict(const std::string& resolver, const std::string& cls, std::vector<std::string> observed) {
  ReportVerdict v;
  v.vantage = "vp1";
  v.resolver = resolver;
  v.qname = "mx.plainmail.net.";
  v.qtype = "A";
  v.verdict = cls;
  v.confidence = cls == "poisoned" ? 0.9 : 0.1;
  v.observed = std::move(observed);
  v.expected = {"198.51.100.25"};
  if (cls == "poisoned") v.evidence = {"not-in-truth", "asn-mismatch"};
  return v;
}

ReportContext context() {
  ReportContext c{"store.sqlite", "every run", 1000, nullptr, nullptr};
  c.origin_of = [](const std::string& resolver) {
    if (resolver == "192.0.2.66") return ResolverOrigin{"NL", 64500};
    if (resolver == "192.0.2.77") return ResolverOrigin{"", 64500};
    return ResolverOrigin{};
  };
  c.asn_of_address = [](const std::string& address) { return address == "203.0.113.66" ? std::string("AS64666") : ""; };
  return c;
}

const ReportRun run1{"sweep", 1, 1'000'000, "daily (complete)"};
const ReportRun run2{"sweep", 2, 2'000'000, "daily (complete)"};

}  // namespace

TEST_CASE("report builder: counts, flagged verdicts and where their resolvers are", "[results][report]") {
  ReportBuilder b(context());
  b.add_run(run1);
  b.add_verdict(run1, verdict("192.0.2.53", "consistent", {"198.51.100.25"}));
  b.add_verdict(run1, verdict("192.0.2.54", "consistent", {"198.51.100.25"}));
  b.add_verdict(run1, verdict("192.0.2.66", "poisoned", {"203.0.113.66"}));
  b.add_verdict(run1, verdict("192.0.2.77", "suspicious", {"203.0.113.66", "198.51.100.25"}));
  ReportData d = b.finish();
  CHECK(d.verdicts == 4);
  CHECK(d.resolvers == 4);
  CHECK(d.targets == 1);
  CHECK(d.counts["consistent"] == 2);
  CHECK(d.counts["poisoned"] == 1);
  CHECK(d.counts["suspicious"] == 1);
  REQUIRE(d.flagged.size() == 2);
  CHECK(d.flagged[0].verdict.verdict == "poisoned");  // poisoned first
  CHECK(d.flagged[0].run == "sweep 1");
  CHECK(d.flagged[0].origin.country == "NL");
  CHECK(d.flagged_resolvers == 2);
  // One resolver's country is known, the other's not: both are counted.
  REQUIRE(d.flagged_by_country.size() == 2);
  CHECK(d.flagged_by_country[0].resolvers == 1);
  REQUIRE(d.flagged_by_asn.size() == 1);
  CHECK(d.flagged_by_asn[0].group == "AS64500");
  CHECK(d.flagged_by_asn[0].resolvers == 2);
  REQUIRE(d.per_target.size() == 1);
  CHECK(d.per_target[0].counts["consistent"] == 2);
}

TEST_CASE("report builder: answers per host, most given first, the forged one marked with its AS", "[results][report]") {
  ReportBuilder b(context());
  b.add_verdict(run1, verdict("192.0.2.53", "consistent", {"198.51.100.25"}));
  b.add_verdict(run1, verdict("192.0.2.54", "consistent", {"198.51.100.25"}));
  b.add_verdict(run1, verdict("192.0.2.66", "poisoned", {"203.0.113.66"}));
  ReportData d = b.finish();
  REQUIRE(d.hosts.size() == 1);
  const auto& answers = d.hosts[0].answers;
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].rdata == "198.51.100.25");
  CHECK(answers[0].resolvers == 2);
  CHECK(answers[0].in_truth);
  CHECK(answers[1].rdata == "203.0.113.66");
  CHECK_FALSE(answers[1].in_truth);
  CHECK(answers[1].asn == "AS64666");
  CHECK(d.hosts[0].flagged == 1);
}

TEST_CASE("report builder: a forged record's first and last sighting over runs, others ignored", "[results][report]") {
  ReportBuilder b(context());
  b.add_run(run2);
  b.add_verdict(run2, verdict("192.0.2.66", "poisoned", {"203.0.113.66"}));
  b.add_verdict(run2, verdict("192.0.2.53", "consistent", {"198.51.100.25"}));
  b.add_sighting(run1, "192.0.2.66", "mx.plainmail.net.", "A", "203.0.113.66", 1'000'500);
  b.add_sighting(run2, "192.0.2.66", "mx.plainmail.net.", "A", "203.0.113.66", 2'000'500);
  b.add_sighting(run2, "192.0.2.66", "mx.plainmail.net.", "A", "203.0.113.66", 2'003'500);
  // Not a forged record of a flagged verdict: not counted.
  b.add_sighting(run2, "192.0.2.53", "mx.plainmail.net.", "A", "198.51.100.25", 2'000'100);
  b.add_sighting(run2, "192.0.2.66", "mx.plainmail.net.", "AAAA", "203.0.113.66", 2'000'100);
  ReportData d = b.finish();
  REQUIRE(d.forged.size() == 1);
  const ForgedRecord& f = d.forged[0];
  CHECK(f.resolver == "192.0.2.66");
  CHECK(f.rdata == "203.0.113.66");
  CHECK(f.first_ms == 1'000'500);
  CHECK(f.last_ms == 2'003'500);
  CHECK(f.sightings == 3);
  CHECK(f.runs == 2);
}

TEST_CASE("report builder: a forged record without sightings keeps its run's start", "[results][report]") {
  ReportBuilder b(context());
  b.add_verdict(run2, verdict("192.0.2.66", "poisoned", {"203.0.113.66"}));
  ReportData d = b.finish();
  REQUIRE(d.forged.size() == 1);
  CHECK(d.forged[0].first_ms == run2.started_ms);
  CHECK(d.forged[0].last_ms == run2.started_ms);
  CHECK(d.forged[0].sightings == 0);
}

TEST_CASE("report builder: the trend in run order, nothing known and nothing grouped", "[results][report]") {
  ReportBuilder b(ReportContext{"s", "every run", 0, nullptr, nullptr});
  b.add_trend(run2, {{"poisoned", 1}});
  b.add_trend(run1, {{"poisoned", 3}, {"consistent", 5}});
  b.add_verdict(run1, verdict("192.0.2.66", "poisoned", {"203.0.113.66"}));
  ReportData d = b.finish();
  REQUIRE(d.trend.size() == 2);
  CHECK(d.trend[0].run.id == 1);
  CHECK(d.trend[0].counts["poisoned"] == 3);
  CHECK(d.trend[1].run.id == 2);
  CHECK(d.flagged_by_country.empty());
  CHECK(d.flagged_by_asn.empty());
  CHECK(d.hosts[0].answers[0].asn.empty());
}

TEST_CASE("report builder: nothing given, an empty report", "[results][report]") {
  ReportData d = ReportBuilder(ReportContext{"s", "every run", 0, nullptr, nullptr}).finish();
  CHECK(d.verdicts == 0);
  CHECK(d.resolvers == 0);
  CHECK(d.flagged.empty());
  CHECK(d.hosts.empty());
  CHECK(d.forged.empty());
  CHECK(d.trend.empty());
}
