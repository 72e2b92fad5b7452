#pragma once
// Two checks an hour apart in a check file, made by the store, for the tests of the commands
// that read check files (export, import, report): resolver 192.0.2.53 gives the truth of
// mx.plainmail.net. A, 192.0.2.66 a forged address both times.

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "coordinator/check/check_store.h"

namespace mxsentry::test {

inline Observation plainmail_answer(const std::string& resolver, const std::string& qname, std::int64_t time_ms,
                                    std::vector<ResourceRecord> answers) {
  Observation o;
  o.resolver = *Endpoint::parse(resolver);
  o.qname = qname;
  o.qtype = 1;
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.answers = std::move(answers);
  o.time_ms = time_ms;
  return o;
}

inline Verdict plainmail_verdict(const std::string& resolver, VerdictClass c, std::vector<std::string> observed) {
  Verdict v;
  v.vantage = "vp1";
  v.resolver = *Endpoint::parse(resolver);
  v.qname = "mx.plainmail.net.";
  v.qtype = 1;
  v.verdict = c;
  v.observed = std::move(observed);
  v.expected = {"198.51.100.25"};
  if (c == VerdictClass::poisoned) v.evidence = {Evidence::not_in_truth, Evidence::asn_mismatch};
  return v;
}

inline void make_plainmail_checks(const std::string& path) {
  CheckStore store(path);
  Truth truth;
  truth.qname = "mx.plainmail.net.";
  truth.qtype = 1;
  truth.zone = "plainmail.net.";
  std::map<Question, Truth> truths{{Question{"mx.plainmail.net.", 1}, truth}};
  for (std::int64_t t : {1796637600000, 1796641200500}) {
    std::vector<Observation> answers{
        plainmail_answer("192.0.2.53", "mx.plainmail.net.", t, {{"mx.plainmail.net.", 1, 300, "198.51.100.25"}}),
        plainmail_answer("192.0.2.66", "mx.plainmail.net.", t + 10, {{"mx.plainmail.net.", 1, 86400, "203.0.113.66"}})};
    store.save({"plainmail.net."}, "vp1", answers, truths,
               {plainmail_verdict("192.0.2.53", VerdictClass::consistent, {"198.51.100.25"}),
                plainmail_verdict("192.0.2.66", VerdictClass::poisoned, {"203.0.113.66"})});
  }
}

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mxsentry::test
