// The engine with a renderer (answers rendered when accepted, only text and a digest kept while
// they linger) against the engine with an Observation sink: the same scenarios must give the
// same lines, byte for byte, in the same order.
#include <catch2/catch.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "prober/core/observation_renderer.h"
#include "results/observation_json.h"
#include "tests/unit/prober/core/engine_harness.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

constexpr std::uint64_t ms = 1000;

struct LineCollector final : ObservationRenderer {
  void render_head(std::string& out, const Observation& o) override { append_observation_json_head(out, o); }
  void render_tail(std::string& out, const Observation& o) override { append_observation_json_tail(out, o); }
  void emit(std::string_view text) override { lines.emplace_back(text); }
  std::vector<std::string> lines;
};

EngineConfig config(std::uint32_t linger_ms = 200) {
  EngineConfig c;
  c.timeout_ms = 1000;
  c.retries = 2;
  c.linger_ms = linger_ms;
  c.per_resolver_qps = 0;
  c.udp_sockets = 4;
  return c;
}

const ResponseSpec mx_answer{{"mx.example. 300 IN A 192.0.2.1"}};

// Runs `scenario` on an engine with a sink and on one with a renderer; both must agree.
std::vector<Observation> compare(const EngineConfig& c, const std::function<void(Harness&)>& scenario,
                                 std::size_t expected_lines) {
  Harness with_sink(c);
  scenario(with_sink);
  Harness with_renderer(c);
  LineCollector lines;
  with_renderer.engine.set_renderer(&lines);
  scenario(with_renderer);
  CHECK(with_renderer.done.empty());  // nothing went to the sink
  REQUIRE(with_sink.done.size() == expected_lines);
  REQUIRE(lines.lines.size() == expected_lines);
  for (std::size_t i = 0; i < expected_lines; ++i) {
    std::string want;
    append_observation_json(want, with_sink.done[i]);
    INFO("line " << i);
    CHECK(lines.lines[i] == want);
  }
  CHECK(with_sink.engine.idle());
  CHECK(with_renderer.engine.idle());
  CHECK(with_renderer.engine.lingering() == 0);
  CHECK(with_sink.engine.stats().extra_responses == with_renderer.engine.stats().extra_responses);
  CHECK(with_sink.engine.stats().unsolicited == with_renderer.engine.stats().unsolicited);
  return std::move(with_sink.done);
}

}  // namespace

TEST_CASE("renderer: a plain answer is the same line after the linger", "[engine][render]") {
  compare(config(), [](Harness& h) {
    h.submit("192.0.2.53", "mx.example");
    h.advance_to(5 * ms);
    h.answer(0, mx_answer);
    h.advance_to(204 * ms);
    CHECK(h.engine.lingering() == 1);
    h.advance_to(206 * ms);
  }, 1);
}

TEST_CASE("renderer: extra responses and unsolicited packets during the linger re-render the tail",
          "[engine][render][injection]") {
  auto done = compare(config(), [](Harness& h) {
    h.submit("192.0.2.53", "mx.example");
    h.submit("192.0.2.54", "other.example", 28);
    h.submit("192.0.2.55", "third.example");
    h.advance_to(10 * ms);
    h.answer(0, mx_answer);
    h.answer(1, ResponseSpec{{"other.example. 60 IN AAAA 2001:db8::1"}});
    h.answer(2, ResponseSpec{{}, 3});  // NXDOMAIN
    h.advance_to(20 * ms);
    h.answer(0, ResponseSpec{{"mx.example. 290 IN A 192.0.2.1"}});  // only the TTL differs
    h.advance_to(60 * ms);
    h.answer(0, ResponseSpec{{"mx.example. 86400 IN A 203.0.113.66"}});
    h.answer(0, ResponseSpec{{}, 2});  // SERVFAIL
    // A packet for the second query's socket and ID from another address: unsolicited.
    auto forged = make_response(h.io.sent.at(1).message, ResponseSpec{{"other.example. 60 IN AAAA 2001:db8::66"}});
    h.deliver(h.io.sent.at(1), forged, endpoint("198.51.100.9"));
    // A question that is not ours on the third query's ID: unsolicited too.
    auto wrong = make_response(h.io.sent.at(0).message, mx_answer);
    wrong[0] = h.io.sent.at(2).message[0];
    wrong[1] = h.io.sent.at(2).message[1];
    h.deliver(h.io.sent.at(2), wrong);
    // Garbage from the right address: unsolicited while lingering.
    std::vector<std::uint8_t> garbage = h.io.sent.at(2).message;
    garbage[2] |= 0x80;
    garbage.resize(garbage.size() - 3);
    h.deliver(h.io.sent.at(2), garbage);
    h.advance_to(500 * ms);
  }, 3);
  auto by_name = [&done](const std::string& name) -> const Observation& {
    for (const auto& o : done)
      if (o.qname == name) return o;
    FAIL("no observation for " << name);
    return done.front();
  };
  CHECK(by_name("mx.example").extra_responses.size() == 2);
  CHECK(by_name("mx.example").unsolicited == 0);
  CHECK(by_name("other.example").unsolicited == 1);
  CHECK(by_name("other.example").extra_responses.empty());
  CHECK(by_name("third.example").unsolicited == 2);
}

TEST_CASE("renderer: unsolicited packets before the answer, timeouts, malformed, TCP", "[engine][render]") {
  auto done = compare(config(), [](Harness& h) {
    h.submit("192.0.2.53", "early.example");
    auto forged = make_response(h.io.sent.at(0).message, mx_answer);
    h.deliver(h.io.sent.at(0), forged, endpoint("198.51.100.9"));
    h.advance_to(3 * ms);
    h.answer(0, ResponseSpec{{"early.example. 300 IN A 192.0.2.7"}});
    h.submit("192.0.2.53", "silent.example");
    h.submit("192.0.2.53", "tc.example");
    h.answer(2, ResponseSpec{{}, 0, true});
    REQUIRE(h.io.tcp.size() == 1);
    h.advance_to(30 * ms);
    auto tcp_answer = make_response(h.io.tcp[0].message, ResponseSpec{{"tc.example. 300 IN A 192.0.2.8"}});
    h.engine.on_tcp_message(h.io.tcp[0].handle, tcp_answer, h.io.now_us);
    h.submit("192.0.2.53", "broken.example");
    std::size_t broken = h.io.sent.size() - 1;
    std::vector<std::uint8_t> bad = make_response(h.io.sent.at(broken).message, mx_answer);
    bad.push_back(0);  // a trailing byte
    h.deliver(h.io.sent.at(broken), bad);
    h.advance_to(5000 * ms);
  }, 4);
  std::multiset<std::string> outcomes;
  for (const auto& o : done) outcomes.insert(std::string(to_string(o.outcome)) + "/" + to_string(o.transport));
  CHECK(outcomes == std::multiset<std::string>{"answer/tcp", "answer/udp", "malformed/udp", "timeout/udp"});
  for (const auto& o : done)
    if (o.qname == "early.example") CHECK(o.unsolicited == 1);
}

TEST_CASE("renderer: without a linger every answer is written at once", "[engine][render]") {
  compare(config(0), [](Harness& h) {
    for (int i = 0; i < 5; ++i) h.submit("192.0.2.53", "n" + std::to_string(i) + ".example");
    for (int i = 4; i >= 0; --i) h.answer(static_cast<std::size_t>(i), ResponseSpec{{"n" + std::to_string(i) + ".example. 300 IN A 192.0.2.1"}});
    h.advance_to(10 * ms);
  }, 5);
}

TEST_CASE("renderer: thousands of lingering answers, some with extras, across text chunks", "[engine][render]") {
  EngineConfig c = config(2000);
  c.max_in_flight = 100000;
  c.udp_sockets = 64;
  auto done = compare(c, [](Harness& h) {
    const int n = 6000;
    for (int i = 0; i < n; ++i) {
      // Long names: many lines, so the text takes several chunks.
      std::string name = "q" + std::to_string(i) + "." + std::string(40, 'x') + "." + std::string(40, 'y') + ".example";
      h.submit("192.0.2." + std::to_string(1 + i % 200), name);
    }
    for (int i = 0; i < n; ++i) {
      if (i % 500 == 0) h.advance_to(h.io.now_us + ms);
      auto& q = h.io.sent.at(static_cast<std::size_t>(i));
      std::string name = "q" + std::to_string(i) + "." + std::string(40, 'x') + "." + std::string(40, 'y') + ".example.";
      h.deliver(q, make_response(q.message, ResponseSpec{{name + " 300 IN A 192.0.2." + std::to_string(i % 250)}}));
    }
    for (int i = 0; i < n; i += 97) {
      auto& q = h.io.sent.at(static_cast<std::size_t>(i));
      std::string name = "q" + std::to_string(i) + "." + std::string(40, 'x') + "." + std::string(40, 'y') + ".example.";
      h.deliver(q, make_response(q.message, ResponseSpec{{name + " 300 IN A 203.0.113.1"}}));
    }
    CHECK(h.engine.lingering() == static_cast<std::size_t>(n));
    h.advance_to(h.io.now_us + 1000 * ms);
    // New queries while the first ones still linger, then all expire.
    for (int i = 0; i < 50; ++i) h.submit("192.0.2.9", "late" + std::to_string(i) + ".example");
    for (int i = 0; i < 50; ++i) h.answer(static_cast<std::size_t>(n + i), mx_answer);
    h.advance_to(h.io.now_us + 5000 * ms);
  }, 6050);
  std::size_t with_extras = 0;
  for (const auto& o : done) with_extras += o.extra_responses.size();
  CHECK(with_extras == 62);
}
