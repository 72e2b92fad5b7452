// Re-ask units: flagged answers only, from a vantage still connected, bound to it, in units.
#include <catch2/catch.hpp>

#include "coordinator/sweep/reask_plan.h"

using namespace mxsentry;

namespace {

Verdict verdict(const std::string& vantage, const char* resolver, VerdictClass cls) {
  Verdict v;
  v.vantage = vantage;
  v.resolver = *Endpoint::parse(resolver);
  v.qname = "MX.Example.";
  v.qtype = 15;
  v.verdict = cls;
  return v;
}

}  // namespace

TEST_CASE("re-ask plan: each connected vantage asks its flagged answers again, in units", "[sweep]") {
  std::vector<Verdict> verdicts = {verdict("vp1", "192.0.2.1", VerdictClass::poisoned),
                                   verdict("vp1", "192.0.2.2", VerdictClass::consistent),
                                   verdict("vp1", "192.0.2.3", VerdictClass::suspicious),
                                   verdict("vp1", "192.0.2.4", VerdictClass::poisoned),
                                   verdict("gone", "192.0.2.5", VerdictClass::poisoned)};
  auto units = plan_reask(verdicts, [](const std::string& v) { return v == "vp1"; }, 2);
  REQUIRE(units.size() == 2);
  CHECK(units[0].owner == "vp1");
  CHECK(units[1].owner == "vp1");
  REQUIRE(units[0].tasks.size() == 2);
  REQUIRE(units[1].tasks.size() == 1);
  CHECK(units[0].tasks[0] == protocol::WorkTask{0, "192.0.2.1", "mx.example.", 15});
  CHECK(units[0].tasks[1].index == 1);
  CHECK(units[0].tasks[1].resolver == "192.0.2.3");
  CHECK(units[1].tasks[0] == protocol::WorkTask{0, "192.0.2.4", "mx.example.", 15});
  CHECK(plan_reask({verdicts[1]}, [](const std::string&) { return true; }, 2).empty());
}
