// The units a prober holds: results batched as they complete, DONE after the last, credit.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "prober/agent/unit_results.h"
#include "protocol/answer_sets.h"

using namespace mxsentry;

namespace {

constexpr protocol::DigestKey key{0x0123456789abcdefull, 0xfedcba9876543210ull};

protocol::Work work(std::uint64_t unit, bool express = false) {
  protocol::Work w;
  w.unit = unit;
  w.express = express;
  return w;
}

Observation timeout_of(std::uint32_t task) {
  Observation o;
  o.resolver = *Endpoint::parse("9.9.9.9");
  o.qname = "mx.example.";
  o.qtype = 1;
  o.task_index = task;
  o.outcome = Outcome::timeout;
  return o;
}

Observation answer_of(std::uint32_t task, const std::string& address) {
  Observation o = timeout_of(task);
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.answers.push_back(ResourceRecord{"mx.example.", 1, 300, address});
  return o;
}

/// The messages queued, popped as if sent: "R<unit>/<sequence>:<count>" or "D<unit>".
std::string sent(UnitResults& r, std::vector<protocol::Results>* batches = nullptr) {
  std::string out;
  while (r.has_outgoing()) {
    const auto& o = r.front();
    protocol::Message m = protocol::decode(o.frames.type, o.frames.body);
    if (auto* results = std::get_if<protocol::Results>(&m)) {
      out += "R" + std::to_string(results->unit) + "/" + std::to_string(results->sequence) + ":" +
             std::to_string(results->observations.size() + results->matched.size()) + " ";
      if (batches) batches->push_back(*results);
    } else if (auto* done = std::get_if<protocol::Done>(&m)) {
      out += "D" + std::to_string(done->unit) + " ";
    }
    r.pop();
  }
  return out;
}

UnitResults::Settings settings(std::size_t batch_size) {
  UnitResults::Settings s;
  s.batch_size = batch_size;
  s.max_age_ms = 100;
  return s;
}

}  // namespace

TEST_CASE("unit results: full batches go at once, numbered per unit, DONE after the last", "[agent][unit_results]") {
  UnitResults r(settings(3));
  r.begin(1, work(101), 7, 0);
  r.begin(2, work(202), 2, 0);
  for (std::uint32_t i = 0; i < 4; ++i) CHECK(r.add(1, timeout_of(i), 10));
  CHECK(r.add(2, timeout_of(0), 10));
  CHECK(sent(r) == "R101/0:3 ");
  CHECK(r.add(2, timeout_of(1), 10));  // unit 202's last
  CHECK(sent(r) == "R202/0:2 D202 ");
  CHECK(r.units() == 1);
  for (std::uint32_t i = 4; i < 7; ++i) CHECK(r.add(1, timeout_of(i), 20));
  CHECK(sent(r) == "R101/1:3 R101/2:1 D101 ");
  CHECK(r.units() == 0);
  CHECK(r.held_bytes() == 0);
  CHECK_FALSE(r.add(1, timeout_of(7), 30));  // no such unit any more
}

TEST_CASE("unit results: a partial batch goes when it has waited long enough", "[agent][unit_results]") {
  UnitResults r(settings(100));
  r.begin(1, work(5), 10, 0);
  r.add(1, timeout_of(0), 1000);
  r.add(1, timeout_of(1), 1050);
  r.flush_aged(1099);
  CHECK_FALSE(r.has_outgoing());
  CHECK(r.held_bytes() > 0);
  r.flush_aged(1100);
  CHECK(sent(r) == "R5/0:2 ");
  r.add(1, timeout_of(2), 5000);  // a new batch: its age counts from its first observation
  r.flush_aged(5050);
  CHECK_FALSE(r.has_outgoing());
  r.flush_all();
  CHECK(sent(r) == "R5/1:1 ");
  CHECK(r.held_bytes() == 0);
}

TEST_CASE("unit results: a batch stays within half the body limit", "[agent][unit_results]") {
  UnitResults::Settings s = settings(1000);
  s.limits.max_body_bytes = 4096;
  UnitResults r(s);
  r.begin(1, work(9), 20, 0);
  for (std::uint32_t i = 0; i < 20; ++i) {
    Observation o = timeout_of(i);
    o.error = std::string(300, 'x');
    r.add(1, std::move(o), 0);
  }
  std::vector<protocol::Results> batches;
  std::string order = sent(r, &batches);
  REQUIRE(batches.size() > 1);
  std::size_t total = 0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    CHECK(batches[i].sequence == i);
    CHECK(protocol::encode(batches[i]).body.size() <= 4096 / 2 + 64);
    total += batches[i].observations.size();
  }
  CHECK(total == 20);
  CHECK(order.ends_with("D9 "));
}

TEST_CASE("unit results: an answer that is an expected answer set goes compact", "[agent][unit_results]") {
  protocol::Work w = work(3);
  w.digest_key = key;
  Observation expected = answer_of(0, "192.0.2.1");
  w.expected.push_back(
      protocol::ExpectedAnswers{"mx.example.", 1, {protocol::answer_set_digest(key, 0, expected.answers)}});
  UnitResults r(settings(10));
  r.begin(1, w, 2, 0);
  r.add(1, answer_of(0, "192.0.2.1"), 0);
  r.add(1, answer_of(1, "203.0.113.66"), 0);
  std::vector<protocol::Results> batches;
  CHECK(sent(r, &batches) == "R3/0:2 D3 ");
  REQUIRE(batches.size() == 1);
  REQUIRE(batches[0].matched.size() == 1);
  CHECK(batches[0].matched[0].task_index == 0);
  REQUIRE(batches[0].observations.size() == 1);
  CHECK(batches[0].observations[0].task_index == 1);
  CHECK(batches[0].observations[0].answers[0].rdata == "203.0.113.66");
}

TEST_CASE("unit results: units are held until their DONE goes, an express one takes no credit",
          "[agent][unit_results]") {
  UnitResults r(settings(10));
  r.begin(1, work(1, false), 1, 0);
  r.begin(2, work(2, true), 1, 0);
  r.begin(3, work(3, false), 1, 0);
  CHECK(r.ordinary_units() == 2);
  CHECK(r.holds_express());
  r.add(3, timeout_of(0), 0);
  r.add(2, timeout_of(0), 0);
  CHECK(r.ordinary_units() == 2);  // DONE queued, not sent: the credit is still taken
  CHECK(sent(r) == "R3/0:1 D3 R2/0:1 D2 ");
  CHECK(r.ordinary_units() == 1);
  CHECK_FALSE(r.holds_express());
}

TEST_CASE("unit results: a unit without tasks is done at once, extra observations are dropped",
          "[agent][unit_results]") {
  UnitResults r(settings(10));
  r.begin(1, work(8), 0, 0);
  CHECK(sent(r) == "D8 ");
  r.begin(2, work(9), 1, 0);
  CHECK(r.add(2, timeout_of(0), 0));
  CHECK_FALSE(r.add(2, timeout_of(0), 0));  // all came already
  CHECK(sent(r) == "R9/0:1 D9 ");
}
