// Aggregation: rows of one (sensor, name, type, rdata set) become one record over time and runs.
#include <catch2/catch.hpp>

#include <vector>

#include "results/cof_aggregate.h"
#include "results/cof_rows.h"

using namespace mxsentry;

namespace {

CofRecord row(std::int64_t ms, const std::string& origin, const std::string& verdict = "") {
  CofRecord r;
  r.rrname = "mx.example.";
  r.rrtype = 1;
  r.rdata = {"203.0.113.66"};
  r.time_first_ms = r.time_last_ms = ms;
  r.count = 1;
  r.sensor_id = "mxsentry:vp1:192.0.2.53";
  r.origin = origin;
  r.verdict = verdict;
  if (!verdict.empty()) r.evidence = {"not-in-truth"};
  return r;
}

}  // namespace

TEST_CASE("cof aggregation: one record per key, first and last seen across runs", "[results][cof]") {
  std::vector<CofRecord> out;
  CofFolder folder([&](const CofRecord& r) { out.push_back(r); });
  folder.add(row(1000, "mxsentry:sweep/1"));
  CofRecord later = row(9000, "mxsentry:sweep/2", "poisoned");
  later.evidence = {"asn-mismatch", "not-in-truth"};
  folder.add(later);
  CofRecord upper = row(5000, "mxsentry:sweep/2", "suspicious");
  upper.rrname = "MX.Example.";  // the same name to DNS
  folder.add(upper);
  CofRecord other = row(2000, "mxsentry:sweep/1");
  other.rdata = {"192.0.2.1"};
  folder.add(other);
  folder.finish();
  REQUIRE(out.size() == 2);
  CHECK(out[0].rrname == "mx.example.");
  CHECK(out[0].time_first_ms == 1000);
  CHECK(out[0].time_last_ms == 9000);
  CHECK(out[0].count == 3u);
  CHECK(out[0].origin == "mxsentry:sweep/1");  // where it was seen first
  CHECK(out[0].verdict == "poisoned");         // the worse verdict
  CHECK(out[0].evidence == std::vector<std::string>{"asn-mismatch", "not-in-truth"});
  CHECK(out[1].rdata == std::vector<std::string>{"192.0.2.1"});
  CHECK(out[1].count == 1u);
}

TEST_CASE("cof aggregation: another sensor or type is another record", "[results][cof]") {
  CofRecord a = row(1, "o"), b = row(2, "o"), c = row(3, "o");
  b.sensor_id = "mxsentry:vp2:192.0.2.53";
  c.rrtype = 28;
  CHECK(same_cof_key(a, row(5, "p")));
  CHECK_FALSE(same_cof_key(a, b));
  CHECK_FALSE(same_cof_key(a, c));
}

TEST_CASE("cof aggregation: counts absent everywhere stay absent, unknown fields kept only when all agree",
          "[results][cof]") {
  std::vector<CofRecord> out;
  CofFolder folder([&](const CofRecord& r) { out.push_back(r); });
  CofRecord a = row(1, "o"), b = row(2, "o");
  a.count.reset();
  b.count.reset();
  a.extra = R"({"x":1})";
  b.extra = R"({"x":2})";
  folder.add(a);
  folder.add(b);
  CofRecord c = row(3, "o");
  c.rdata = {"192.0.2.9"};
  c.extra = R"({"x":3})";
  folder.add(c);
  folder.finish();
  REQUIRE(out.size() == 2);
  CHECK_FALSE(out[0].count.has_value());
  CHECK(out[0].extra.empty());
  CHECK(out[1].extra == R"({"x":3})");
}

TEST_CASE("cof rows: one row per RRset of an answer, bailiwick only on the question's name", "[results][cof]") {
  std::vector<ResourceRecord> answers{{"mx.example.", 5, 300, "mx.cdn.example.net."},
                                      {"mx.cdn.example.net.", 1, 60, "192.0.2.2"},
                                      {"MX.CDN.example.net.", 1, 60, "192.0.2.1"}};
  CofSighting s{"mxsentry:vp1:192.0.2.53", "mxsentry:check/1", 42000, "mx.example.", "example.", "poisoned",
                {"not-in-truth"}};
  auto rows = cof_rows(answers, s, false);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].rrname == "mx.cdn.example.net.");
  CHECK(rows[0].rrtype == 1);
  CHECK(rows[0].rdata == std::vector<std::string>{"192.0.2.1", "192.0.2.2"});
  CHECK(rows[0].bailiwick.empty());
  CHECK(rows[0].verdict == "poisoned");
  CHECK(rows[1].rrname == "mx.example.");
  CHECK(rows[1].rrtype == 5);
  CHECK(rows[1].bailiwick == "example.");
  CHECK(rows[1].time_first_ms == 42000);
  CHECK(rows[1].count == 1u);
  auto split = cof_rows(answers, s, true);
  CHECK(split.size() == 3);
}

TEST_CASE("forged addresses: A and AAAA rdata the truth lacks, once each", "[results][cof]") {
  std::vector<ResourceRecord> answers{{"mx.example.", 1, 60, "203.0.113.66"},
                                      {"mx.example.", 1, 60, "192.0.2.1"},
                                      {"mx.example.", 28, 60, "2001:db8::66"},
                                      {"mx.example.", 1, 60, "203.0.113.66"},
                                      {"example.", 15, 60, "10 mx.example."}};
  auto forged = forged_addresses(answers, {"192.0.2.1"});
  REQUIRE(forged.size() == 2);
  CHECK(forged[0].address == "203.0.113.66");
  CHECK(forged[0].rrname == "mx.example.");
  CHECK(forged[1].address == "2001:db8::66");
}

TEST_CASE("timed answers: the accepted response, then each injected one at its own time", "[results][cof]") {
  Observation o;
  o.time_ms = 1000;
  o.answers = {{"mx.example.", 1, 60, "192.0.2.1"}};
  ExtraResponse injected;
  injected.answers = {{"mx.example.", 1, 60, "203.0.113.66"}};
  injected.after_ms = 2.6;
  o.extra_responses.push_back(injected);
  auto sections = timed_answers(o);
  REQUIRE(sections.size() == 2);
  CHECK(sections[0].answers->at(0).rdata == "192.0.2.1");
  CHECK(sections[0].time_ms == 1000);
  CHECK(sections[1].answers->at(0).rdata == "203.0.113.66");
  CHECK(sections[1].time_ms == 1003);
}
