// Verdicts as JSON lines (the keys DESIGN section 4 names) and as a table for people.
#include <catch2/catch.hpp>

#include "coordinator/analysis/verdict_output.h"

using namespace mxsentry;

namespace {

Verdict make(const std::string& resolver, const std::string& qname, VerdictClass c, int rcode = 0) {
  Verdict v;
  v.vantage = "local";
  v.resolver = *Endpoint::parse(resolver);
  v.qname = qname;
  v.qtype = 1;
  v.verdict = c;
  v.confidence = 1;
  v.rcode = rcode;
  return v;
}

}  // namespace

TEST_CASE("verdict output: one JSON object a line with every key", "[analysis]") {
  Verdict v = make("127.0.0.1:5353", "mx.example.", VerdictClass::poisoned);
  v.confidence = 0.9484;
  v.evidence = {Evidence::not_in_truth, Evidence::cached_forgery};
  v.observed = {"203.0.113.66"};
  v.expected = {"192.0.2.10"};
  v.ttl = 86397;
  v.expected_ttl = 300;
  v.dnssec = "insecure";
  v.attack = "cache";
  std::string out;
  append_verdict_json(out, v);
  CHECK(out ==
        "{\"vantage\":\"local\",\"resolver\":\"127.0.0.1:5353\",\"qname\":\"mx.example.\",\"qtype\":\"A\","
        "\"verdict\":\"poisoned\",\"confidence\":0.948,\"evidence\":[\"not-in-truth\",\"cached-forgery\"],"
        "\"observed\":[\"203.0.113.66\"],\"expected\":[\"192.0.2.10\"],\"ttl\":86397,\"expected_ttl\":300,"
        "\"dnssec\":\"insecure\",\"rcode\":\"NOERROR\",\"attack\":\"cache\"}\n");
  Verdict silent = make("127.0.0.2", "mx.example.", VerdictClass::unreachable, -1);
  out.clear();
  append_verdict_json(out, silent);
  CHECK(out.find("\"rcode\":null}") != std::string::npos);
  CHECK(out.find("attack") == std::string::npos);
}

TEST_CASE("verdict output: counts name only the classes present", "[analysis]") {
  std::vector<Verdict> all{make("127.0.0.1", "a.", VerdictClass::consistent),
                           make("127.0.0.1", "b.", VerdictClass::poisoned),
                           make("127.0.0.2", "a.", VerdictClass::consistent)};
  std::vector<const Verdict*> refs{&all[0], &all[1], &all[2]};
  CHECK(format_counts(count_verdicts(refs)) == "2 consistent, 1 poisoned");
  CHECK(format_counts({}) == "nothing");
}

TEST_CASE("verdict output: the table leaves out consistent, flags first, one line per dead resolver", "[analysis]") {
  std::vector<Verdict> all{make("127.0.0.1", "a.", VerdictClass::consistent),
                           make("127.0.0.1", "b.", VerdictClass::failed, 2),
                           make("127.0.0.9", "a.", VerdictClass::unreachable, -1),
                           make("127.0.0.9", "b.", VerdictClass::unreachable, -1),
                           make("127.0.0.3", "a.", VerdictClass::poisoned)};
  all.back().observed = {"203.0.113.66"};
  all.back().ttl = 86400;
  std::string table = format_verdict_table(all);
  INFO(table);
  CHECK(table.find("RESOLVER") == 0);
  CHECK(table.find("127.0.0.3") < table.find("127.0.0.1 "));  // poisoned before failed
  CHECK(table.find("203.0.113.66 (86400)") != std::string::npos);
  CHECK(table.find("SERVFAIL") != std::string::npos);
  CHECK(table.find("127.0.0.9  (all 2 questions)") != std::string::npos);
  CHECK(std::count(table.begin(), table.end(), '\n') == 4);  // header, poisoned, failed, one unreachable line
  CHECK(format_verdict_table({make("127.0.0.1", "a.", VerdictClass::consistent)}).empty());
}
