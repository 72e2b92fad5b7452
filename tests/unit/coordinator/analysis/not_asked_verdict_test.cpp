// A task refused on purpose is judged not-asked, with its reason as evidence: never unreachable,
// never flagged, and shown apart in counts and tables.
#include <catch2/catch.hpp>

#include "coordinator/analysis/analyse.h"
#include "coordinator/analysis/classify.h"
#include "coordinator/analysis/verdict_output.h"
#include "coordinator/analysis/verdict_parse.h"
#include "prober/core/not_asked.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

constexpr std::uint16_t A = 1;

Observation refused(const std::string& resolver, const std::string& qname, NotAskedReason reason) {
  return not_asked(Task{*Endpoint::parse(resolver), qname, A, 0}, reason, 1'790'000'000'000);
}

}  // namespace

TEST_CASE("not-asked verdict: the reason is the evidence, the verdict not-asked", "[analysis]") {
  AnalysisConfig config;
  Truth truth = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});
  for (auto reason : {NotAskedReason::opt_out, NotAskedReason::opt_out_coordinator, NotAskedReason::private_refused,
                      NotAskedReason::bad_address}) {
    Verdict v = analyse("vp1", refused("127.0.0.1:5353", "mx.example.", reason), truth, context_for(config));
    INFO(to_string(reason));
    CHECK(v.verdict == VerdictClass::not_asked);
    CHECK(v.confidence == 1.0);
    REQUIRE(v.evidence.size() == 1);
    CHECK(v.evidence[0] == not_asked_evidence(reason));
    CHECK(std::string(to_string(v.evidence[0])) == to_string(reason));  // one vocabulary for both
    CHECK_FALSE(v.has(Evidence::no_response));
    CHECK_FALSE(v.flagged());
  }
  // Without a truth to compare with it is still a refusal, not unknown.
  Truth none;
  none.rcode = -1;
  CHECK(analyse("vp1", refused("127.0.0.1", "mx.example.", NotAskedReason::opt_out), none, context_for(config)).verdict ==
        VerdictClass::not_asked);
}

TEST_CASE("not-asked verdict: a refusal outranks every other rule", "[analysis]") {
  AnalysisConfig config;
  using E = Evidence;
  CHECK(decide({E::no_response, E::private_refused}, config).verdict == VerdictClass::not_asked);
  CHECK(decide({E::opt_out, E::no_truth}, config).verdict == VerdictClass::not_asked);
  CHECK(decide({E::no_response}, config).verdict == VerdictClass::unreachable);
  for (Evidence e : all_evidence()) CHECK(is_not_asked_evidence(e) == (decide({e}, config).verdict == VerdictClass::not_asked));
}

TEST_CASE("not-asked verdict: JSON lines and their reading back", "[analysis]") {
  AnalysisConfig config;
  Truth truth = truth_of("mx.example.", A, {rr("mx.example.", A, 300, "192.0.2.10")});
  Verdict v = analyse("vp1", refused("127.0.0.1:5353", "mx.example.", NotAskedReason::opt_out_coordinator), truth,
                      context_for(config));
  std::string line;
  append_verdict_json(line, v);
  CHECK(line.find("\"verdict\":\"not-asked\",\"confidence\":1.000,\"evidence\":[\"opt-out-coordinator\"]") !=
        std::string::npos);
  Verdict back = parse_verdict_json(line);
  CHECK(back.verdict == VerdictClass::not_asked);
  CHECK(back.has(Evidence::opt_out_coordinator));
  CHECK(verdict_class_from_string("not-asked") == VerdictClass::not_asked);
}

TEST_CASE("not-asked verdict: counted apart, one table line for a resolver never asked", "[analysis]") {
  AnalysisConfig config;
  std::vector<Verdict> verdicts;
  for (const char* qname : {"a.example.", "b.example."}) {
    Truth truth = truth_of(qname, A, {rr(qname, A, 300, "192.0.2.10")});
    verdicts.push_back(analyse("local", refused("10.0.0.53", qname, NotAskedReason::private_refused), truth,
                               context_for(config)));
    verdicts.push_back(analyse("local", answer_of("192.0.2.53", qname, A, {rr(qname, A, 300, "192.0.2.10")}), truth,
                               context_for(config)));
  }
  std::vector<const Verdict*> all;
  for (const auto& v : verdicts) all.push_back(&v);
  CHECK(format_counts(count_verdicts(all)) == "2 consistent, 2 not-asked");
  std::string table = format_verdict_table(verdicts);
  CHECK(table.find("10.0.0.53  (all 2 questions)  not-asked") != std::string::npos);
  CHECK(table.find("private-refused") != std::string::npos);
  CHECK(table.find("unreachable") == std::string::npos);
}
