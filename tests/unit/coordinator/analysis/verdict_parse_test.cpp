// Verdict lines read back: what append_verdict_json writes, parse_verdict_json returns.
#include <catch2/catch.hpp>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/analysis/verdict_parse.h"
#include "results/observation_json.h"

using namespace mxsentry;

namespace {

Verdict sample() {
  Verdict v;
  v.vantage = "vp2";
  v.resolver = *Endpoint::parse("[2001:db8::53]:5353");
  v.qname = "mx1.example.";
  v.qtype = 28;
  v.verdict = VerdictClass::poisoned;
  v.confidence = 0.948;
  v.evidence = {Evidence::not_in_truth, Evidence::asn_mismatch, Evidence::cached_forgery};
  v.observed = {"2001:db8::66"};
  v.expected = {"2001:db8::10", "2001:db8::11"};
  v.ttl = 86397;
  v.expected_ttl = 300;
  v.dnssec = "insecure";
  v.rcode = 0;
  v.attack = "cache";
  return v;
}

std::string line_of(const Verdict& v) {
  std::string out;
  append_verdict_json(out, v);
  return out;
}

}  // namespace

TEST_CASE("verdict parse: a written line reads back the same", "[analysis]") {
  Verdict v = sample();
  Verdict back = parse_verdict_json(line_of(v));
  CHECK(line_of(back) == line_of(v));
  CHECK(back.verdict == VerdictClass::poisoned);
  CHECK(back.has(Evidence::cached_forgery));
  CHECK(back.qtype == 28);

  v.rcode = -1;  // no answer at all: rcode null
  v.verdict = VerdictClass::unreachable;
  v.evidence = {Evidence::no_response};
  v.attack.clear();
  CHECK(line_of(parse_verdict_json(line_of(v))) == line_of(v));
}

TEST_CASE("verdict parse: a second look from another vantage reads back, and older lines have none", "[analysis]") {
  Verdict v = sample();
  v.evidence.insert(v.evidence.begin() + 2, Evidence::reasked_elsewhere);
  v.reasked_by = "vp3";
  std::string line = line_of(v);
  CHECK(line.find("\"reasked-elsewhere\",\"cached-forgery\"") != std::string::npos);
  CHECK(line.find(",\"attack\":\"cache\",\"reasked_by\":\"vp3\"}") != std::string::npos);
  Verdict back = parse_verdict_json(line);
  CHECK(back.reasked_by == "vp3");
  CHECK(back.has(Evidence::reasked_elsewhere));
  CHECK(line_of(back) == line);
  CHECK(parse_verdict_json(line_of(sample())).reasked_by.empty());  // the key only when another vantage asked
  CHECK(line_of(sample()).find("reasked_by") == std::string::npos);
}

TEST_CASE("verdict parse: bad lines name what is wrong", "[analysis]") {
  std::string good = line_of(sample());
  auto error_of = [](const std::string& line) {
    try {
      parse_verdict_json(line);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("not json"), Catch::Contains("not a JSON object"));
  CHECK_THAT(error_of("[1,2]"), Catch::Contains("not a JSON object"));
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  CHECK_THAT(error_of(replaced("\"verdict\":\"poisoned\"", "\"verdict\":\"evil\"")), Catch::Contains("verdict"));
  CHECK_THAT(error_of(replaced("\"not-in-truth\"", "\"made-up\"")), Catch::Contains("evidence"));
  CHECK_THAT(error_of(replaced("\"qtype\":\"AAAA\"", "\"qtype\":\"NOPE\"")), Catch::Contains("qtype"));
  CHECK_THAT(error_of(replaced("\"ttl\":86397", "\"ttl\":-1")), Catch::Contains("ttl"));
  CHECK_THAT(error_of(replaced("\"vantage\":\"vp2\",", "")), Catch::Contains("vantage"));
  CHECK_THAT(error_of(replaced("\"confidence\":0.948", "\"confidence\":7")), Catch::Contains("confidence"));
}

TEST_CASE("rcode names read back, and only in the spelling written", "[results]") {
  for (int rcode : {0, 2, 3, 5, 10, 16, 23, 4095}) CHECK(rcode_from_name(rcode_name(rcode)) == rcode);
  CHECK_FALSE(rcode_from_name("RCODE3"));  // written as NXDOMAIN
  CHECK_FALSE(rcode_from_name("RCODE023"));
  CHECK_FALSE(rcode_from_name("nxdomain"));
  CHECK_FALSE(rcode_from_name("RCODE"));
}
