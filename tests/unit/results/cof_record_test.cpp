// COF records (draft-dulaunoy-dnsop-passive-dns-cof): the fields and their JSON types as the
// draft has them, and any sensor's lines read back, bad ones with a reason.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "results/cof_record.h"

using namespace mxsentry;

namespace {

CofRecord forged_record() {
  CofRecord r;
  r.rrname = "mx.plainmail.net.";
  r.rrtype = 1;
  r.rdata = {"203.0.113.66", "203.0.113.67"};
  r.time_first_ms = 1765101600123;
  r.time_last_ms = 1765105200999;
  r.count = 4;
  r.bailiwick = "plainmail.net.";
  r.sensor_id = cof_sensor_id("vp1", "127.53.10.3");
  r.origin = cof_origin("sweep", 3);
  r.verdict = "poisoned";
  r.evidence = {"asn-mismatch", "not-in-truth"};
  return r;
}

nlohmann::json written(const CofRecord& r, bool rdata_as_string = false) {
  std::string line;
  append_cof_json(line, r, rdata_as_string);
  REQUIRE(!line.empty());
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);  // one record, one line (NDJSON)
  return nlohmann::json::parse(line);
}

CofRecord parsed(const std::string& line) {
  auto result = parse_cof_line(line);
  if (auto* bad = std::get_if<CofLineError>(&result)) FAIL("not parsed: " << bad->reason);
  return std::get<CofRecord>(result);
}

std::string reason(const std::string& line) {
  auto result = parse_cof_line(line);
  REQUIRE(std::holds_alternative<CofLineError>(result));
  return std::get<CofLineError>(result).reason;
}

}  // namespace

TEST_CASE("cof: the draft's fields with the draft's types", "[results][cof]") {
  auto j = written(forged_record());
  CHECK(j["rrname"] == "mx.plainmail.net.");
  CHECK(j["rrtype"] == "A");  // the type as text
  REQUIRE(j["rdata"].is_array());
  CHECK(j["rdata"] == nlohmann::json::array({"203.0.113.66", "203.0.113.67"}));
  // time_first/time_last: Unix seconds as integers; the _ms fields keep the milliseconds.
  REQUIRE(j["time_first"].is_number_integer());
  REQUIRE(j["time_last"].is_number_integer());
  CHECK(j["time_first"] == 1765101600);
  CHECK(j["time_last"] == 1765105200);
  CHECK(j["time_first_ms"] == 1765101600123);
  CHECK(j["time_last_ms"] == 1765105200999);
  REQUIRE(j["count"].is_number_unsigned());
  CHECK(j["count"] == 4);
  CHECK(j["bailiwick"] == "plainmail.net.");
  CHECK(j["sensor_id"] == "mxsentry:vp1:127.53.10.3");
  CHECK(j["origin"] == "mxsentry:sweep/3");
  CHECK(j["verdict"] == "poisoned");
  CHECK(j["evidence"] == nlohmann::json::array({"asn-mismatch", "not-in-truth"}));
}

TEST_CASE("cof: a clean record carries no verdict, unknown fields are left out", "[results][cof]") {
  CofRecord r = forged_record();
  r.verdict.clear();
  r.evidence.clear();
  r.bailiwick.clear();
  r.count.reset();
  auto j = written(r);
  CHECK_FALSE(j.contains("verdict"));
  CHECK_FALSE(j.contains("evidence"));
  CHECK_FALSE(j.contains("bailiwick"));
  CHECK_FALSE(j.contains("count"));
  CHECK(j.contains("sensor_id"));
}

TEST_CASE("cof: one rdata as a string for importers that want a string", "[results][cof]") {
  CofRecord r = forged_record();
  r.rdata = {"203.0.113.66"};
  CHECK(written(r, true)["rdata"] == "203.0.113.66");
  CHECK(written(r, false)["rdata"] == nlohmann::json::array({"203.0.113.66"}));
  r.rdata = {"203.0.113.66", "203.0.113.67"};
  CHECK(written(r, true)["rdata"].is_array());  // a set of two stays an array
}

TEST_CASE("cof: a written record reads back the same", "[results][cof]") {
  CofRecord r = forged_record();
  r.rdata = {"\"v=spf1 -all\"", "odd\x01\xff bytes"};
  std::string line;
  append_cof_json(line, r);
  line.pop_back();
  CHECK(parsed(line) == r);
}

TEST_CASE("cof: other sensors' lines: rdata a string, rrtype a number, fields kept", "[results][cof]") {
  CofRecord r = parsed(R"({"rrname":"www.example.org","rrtype":28,"rdata":"2001:db8::1","time_first":1700000000,)"
                       R"("time_last":1700003600,"count":12,"zone_time_first":1690000000,"x_sensor":{"site":"ams"}})");
  CHECK(r.rrname == "www.example.org");
  CHECK(r.rrtype == 28);
  CHECK(r.rdata == std::vector<std::string>{"2001:db8::1"});
  CHECK(r.time_first_ms == 1700000000000);
  CHECK(r.time_last_ms == 1700003600000);
  CHECK(r.count == 12u);
  CHECK(r.sensor_id.empty());
  auto extra = nlohmann::json::parse(r.extra);
  CHECK(extra["zone_time_first"] == 1690000000);
  CHECK(extra["x_sensor"]["site"] == "ams");
  // They go out again as they came in.
  auto again = written(r);
  CHECK(again["zone_time_first"] == 1690000000);
  CHECK(again["x_sensor"]["site"] == "ams");
  CHECK(parsed(R"({"rrname":"a.","rrtype":"TYPE65280","rdata":["\\# 0"],"time_first":1,"time_last":2})").rrtype == 65280);
  CHECK(parsed(R"({"rrname":"a.","rrtype":"mx","rdata":["10 b."],"time_first":1,"time_last":2})").rrtype == 15);
}

TEST_CASE("cof: rdata is sorted and duplicates dropped, so a set has one form", "[results][cof]") {
  CofRecord r = parsed(R"({"rrname":"a.","rrtype":"A","rdata":["192.0.2.2","192.0.2.1","192.0.2.2"],)"
                       R"("time_first":1,"time_last":2})");
  CHECK(r.rdata == std::vector<std::string>{"192.0.2.1", "192.0.2.2"});
}

TEST_CASE("cof: the _ms fields give milliseconds only inside the second they belong to", "[results][cof]") {
  CofRecord r = parsed(R"({"rrname":"a.","rrtype":"A","rdata":"192.0.2.1","time_first":1700000000,)"
                       R"("time_last":1700000001,"time_first_ms":1700000000250,"time_last_ms":1700000001999})");
  CHECK(r.time_first_ms == 1700000000250);
  CHECK(r.time_last_ms == 1700000001999);
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"192.0.2.1","time_first":1700000000,)"
                    R"("time_last":1700000001,"time_first_ms":1700000005000})"),
             Catch::Contains("time_first_ms"));
}

TEST_CASE("cof: a bad line says what is wrong", "[results][cof]") {
  CHECK(reason("not json") == "not JSON");
  CHECK(reason("[1,2]") == "not a JSON object");
  CHECK_THAT(reason(R"({"rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2})"), Catch::Contains("rrname"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"BOGUS","rdata":"x","time_first":1,"time_last":2})"),
             Catch::Contains("rrtype"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":70000,"rdata":"x","time_first":1,"time_last":2})"),
             Catch::Contains("rrtype"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","time_first":1,"time_last":2})"), Catch::Contains("rdata"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":[1],"time_first":1,"time_last":2})"),
             Catch::Contains("rdata"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":[],"time_first":1,"time_last":2})"),
             Catch::Contains("rdata"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"x","time_first":"2023-01-01","time_last":2})"),
             Catch::Contains("time_first"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"x","time_first":1.5,"time_last":2})"),
             Catch::Contains("time_first"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"x","time_first":3,"time_last":2})"),
             Catch::Contains("after time_last"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"x","time_first":1,"time_last":2,"count":-1})"),
             Catch::Contains("count"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"x","time_first":1,"time_last":2,"evidence":"x"})"),
             Catch::Contains("evidence"));
  CHECK_THAT(reason(R"({"rrname":"a.","rrtype":"A","rdata":"x","zone_time_first":1,"zone_time_last":2})"),
             Catch::Contains("zone_time_first"));
}
