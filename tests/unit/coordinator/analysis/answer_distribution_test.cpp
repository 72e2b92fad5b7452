// How widely each record is returned: counted per (vantage, resolver) answer, without keeping
// the resolvers (a sweep adds each once), a record repeated within one answer counted once.
#include <catch2/catch.hpp>

#include "coordinator/analysis/answer_compare.h"
#include "coordinator/analysis/answer_distribution.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;

TEST_CASE("answer distribution: resolvers, vantages and networks per record", "[analysis]") {
  AnswerDistribution d;
  auto a = test::rr("mx.example.", 1, 300, "192.0.2.10");
  auto b = test::rr("mx.example.", 1, 300, "192.0.2.11");
  d.add("vp1", test::answer_of("198.51.100.1", "mx.example.", 1, {a, a}), 64500);  // listed twice
  d.add("vp1", test::answer_of("198.51.100.2", "MX.example.", 1, {a, b}), 64501);
  d.add("vp2", test::answer_of("198.51.100.1", "mx.example.", 1, {b}), 0);
  Observation silent = test::answer_of("198.51.100.3", "mx.example.", 1, {});
  d.add("vp3", silent, 64502);

  auto spread_a = d.spread("mx.example.", 1, record_key(a));
  CHECK(spread_a.resolvers == 2);
  CHECK(spread_a.vantages == 1);
  CHECK(spread_a.networks == 2);
  auto spread_b = d.spread("mx.example.", 1, record_key(b));
  CHECK(spread_b.resolvers == 2);
  CHECK(spread_b.vantages == 2);
  CHECK(spread_b.networks == 1);  // the unknown AS is not a network
  CHECK(d.answering("mx.example.", 1) == 3);
  CHECK(d.vantages("mx.example.", 1) == 3);  // vp3 asked, without records
  CHECK(d.spread("mx.example.", 1, "nothing").resolvers == 0);
  CHECK(d.answering("other.example.", 1) == 0);
}
