// Questions marked for re-verification while a sweep runs: an answer with a record the truth
// lacks marks its question, once.
#include <catch2/catch.hpp>

#include "coordinator/sweep/early_reverify.h"

using namespace mxsentry;

namespace {

Observation answer(std::vector<ResourceRecord> records, int rcode = 0) {
  Observation o;
  o.qname = "mx.example.";
  o.qtype = 1;
  o.outcome = Outcome::answer;
  o.rcode = rcode;
  o.answers = std::move(records);
  return o;
}

const std::vector<protocol::AnswerSet> truth{
    protocol::AnswerSet{0, {{"mx.example.", 1, 300, "192.0.2.25"}}},
    protocol::AnswerSet{0, {{"mx.example.", 1, 300, "192.0.2.26"}, {"mx.example.", 1, 300, "192.0.2.27"}}}};

}  // namespace

TEST_CASE("early re-verify: only a record in none of the truth's answer sets counts", "[sweep][reverify]") {
  CHECK_FALSE(answers_beyond_truth(answer({{"MX.Example.", 1, 60, "192.0.2.25"}}), truth));  // case, TTL aside
  // A mix of the sets' records is no record beyond them.
  CHECK_FALSE(answers_beyond_truth(answer({{"mx.example.", 1, 300, "192.0.2.25"}, {"mx.example.", 1, 300, "192.0.2.27"}}), truth));
  CHECK(answers_beyond_truth(answer({{"mx.example.", 1, 300, "198.51.100.7"}}), truth));
  CHECK(answers_beyond_truth(answer({{"mx.example.", 1, 300, "192.0.2.25"}, {"evil.example.", 1, 300, "192.0.2.25"}}), truth));
  CHECK_FALSE(answers_beyond_truth(answer({{"mx.example.", 46, 300, "A 8 2 300 ..."}}), truth));  // RRSIGs aside
  CHECK_FALSE(answers_beyond_truth(answer({{"mx.example.", 1, 300, "198.51.100.7"}}, 2), truth));  // SERVFAIL
  Observation silent = answer({{"mx.example.", 1, 300, "198.51.100.7"}});
  silent.outcome = Outcome::timeout;
  CHECK_FALSE(answers_beyond_truth(silent, truth));
  CHECK(answers_beyond_truth(answer({{"mx.example.", 1, 300, "192.0.2.25"}}), {}));  // no set at all
}

TEST_CASE("early re-verify: a question is handed out once", "[sweep][reverify]") {
  EarlyReverify e;
  CHECK(e.empty());
  e.mark(Question{"a.example.", 1});
  e.mark(Question{"a.example.", 1});
  e.mark(Question{"b.example.", 28});
  CHECK(e.take() == std::set<Question>{{"a.example.", 1}, {"b.example.", 28}});
  CHECK(e.empty());
  e.mark(Question{"a.example.", 1});  // handed out already
  CHECK(e.empty());
  e.mark(Question{"c.example.", 1});
  CHECK(e.take() == std::set<Question>{{"c.example.", 1}});
  CHECK(e.handed().size() == 3);
}
