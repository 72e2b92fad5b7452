// A sweep's second answers: each first answer finds its own vantage's, else another vantage's
// for the same resolver and question, whatever the name's case.
#include <catch2/catch.hpp>

#include "coordinator/judging/second_answers.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;

namespace {

Observation answer(const std::string& resolver, const std::string& qname, std::uint32_t ttl) {
  return test::answer_of(resolver, qname, 1, {test::rr("mx.example.", 1, ttl, "203.0.113.66")});
}

}  // namespace

TEST_CASE("second answers: its own vantage's first, else another's for the same resolver and question", "[judging]") {
  SecondAnswers again;
  CHECK(again.empty());
  CHECK(again.find("vp1", answer("192.0.2.53", "mx.example.", 3600)).observation == nullptr);

  again.add("vp3", answer("192.0.2.53", "MX.Example.", 3590));
  again.add("vp2", answer("192.0.2.53", "mx.example.", 3580));
  again.add("vp2", answer("198.51.100.53", "mx.example.", 3570));
  CHECK_FALSE(again.empty());

  // vp1 was not asked again itself: the first other vantage in name order, the name's case aside.
  SecondAnswer found = again.find("vp1", answer("192.0.2.53", "mx.EXAMPLE.", 3600));
  REQUIRE(found.observation != nullptr);
  CHECK(found.vantage == "vp2");
  CHECK(found.observation->answers.at(0).ttl == 3580);
  // Its own, when there is one.
  found = again.find("vp3", answer("192.0.2.53", "mx.example.", 3600));
  REQUIRE(found.observation != nullptr);
  CHECK(found.vantage == "vp3");
  CHECK(found.observation->answers.at(0).ttl == 3590);
  // Another resolver, another question: nothing.
  CHECK(again.find("vp1", answer("203.0.113.53", "mx.example.", 3600)).observation == nullptr);
  Observation aaaa = answer("192.0.2.53", "mx.example.", 3600);
  aaaa.qtype = 28;
  CHECK(again.find("vp1", aaaa).observation == nullptr);
  // A later copy from the same vantage replaces the earlier one.
  again.add("vp2", answer("192.0.2.53", "mx.example.", 3500));
  CHECK(again.find("vp1", answer("192.0.2.53", "mx.example.", 3600)).observation->answers.at(0).ttl == 3500);
}
