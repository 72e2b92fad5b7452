// Scenario tests of the query engine in simulated time (no sockets, no clock).
#include <catch2/catch.hpp>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"
#include "tests/unit/prober/core/engine_harness.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

constexpr std::uint64_t ms = 1000;

EngineConfig quick_config() {
  EngineConfig c;
  c.timeout_ms = 1000;
  c.retries = 2;
  c.linger_ms = 200;
  c.per_resolver_qps = 0;
  c.udp_sockets = 4;
  return c;
}

const ResponseSpec mx_answer{{"mx.example. 300 IN A 192.0.2.1"}};

}  // namespace

TEST_CASE("a query carries RD, EDNS0 with DO and 1232, and is answered after the linger", "[engine]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  REQUIRE(h.io.sent.size() == 1);
  const auto& q = h.io.sent[0];
  ldns_pkt* pkt = nullptr;
  REQUIRE(ldns_wire2pkt(&pkt, q.message.data(), q.message.size()) == LDNS_STATUS_OK);
  CHECK(ldns_pkt_rd(pkt));
  CHECK(ldns_pkt_edns_do(pkt));
  CHECK(ldns_pkt_edns_udp_size(pkt) == 1232);
  CHECK(ldns_rr_list_rr_count(ldns_pkt_question(pkt)) == 1);
  ldns_pkt_free(pkt);
  CHECK(q.to == endpoint("192.0.2.53"));

  h.advance_to(5 * ms);
  h.answer(0, mx_answer);
  CHECK(h.done.empty());  // still listening for a second answer
  CHECK(h.engine.in_flight() == 0);
  h.advance_to(204 * ms);
  CHECK(h.done.empty());
  h.advance_to(206 * ms);
  REQUIRE(h.done.size() == 1);
  const Observation& o = h.done[0];
  CHECK(o.outcome == Outcome::answer);
  CHECK(o.rcode == 0);
  CHECK(o.attempts == 1);
  CHECK(o.rtt_ms == Approx(5.0));
  REQUIRE(o.answers.size() == 1);
  CHECK(o.answers[0].name == "mx.example.");
  CHECK(o.answers[0].rdata == "192.0.2.1");
  CHECK(o.answers[0].ttl == 300);
  CHECK(o.flags.ra);
  CHECK(o.edns.present);  // the builder echoes the query's OPT
  CHECK(o.edns.udp_size == 1232);
  CHECK(o.edns.do_bit);
  CHECK(h.engine.idle());
}

TEST_CASE("responses that fail the RFC 5452 checks are counted and the query keeps waiting", "[engine][rfc5452]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  auto good = make_response(h.io.sent[0].message, mx_answer);
  const auto& q = h.io.sent[0];

  SECTION("wrong ID") {
    auto bad = good;
    bad[1] ^= 0x01;
    h.deliver(q, bad);
  }
  SECTION("wrong source port") {
    auto from = q.to;
    from.port = 5353;
    h.deliver(q, good, from);
  }
  SECTION("wrong source address") { h.deliver(q, good, endpoint("192.0.2.54")); }
  SECTION("wrong socket (destination port)") { h.deliver(q, good, std::nullopt, (q.socket + 1) % 4); }
  SECTION("QR not set") {
    auto bad = good;
    bad[2] &= 0x7f;
    h.deliver(q, bad);
  }
  SECTION("other question name") {
    auto bad = make_response(h.io.sent[0].message, mx_answer);
    bad[12 + 1] = 'n';  // "mx" -> "nx"
    h.deliver(q, bad);
  }
  SECTION("other question type") {
    auto bad = good;
    std::size_t type_at = 12 + wire::name_to_wire("mx.example")->size();
    bad[type_at + 1] = 28;
    h.deliver(q, bad);
  }
  SECTION("no question") {
    auto bad = good;
    bad[5] = 0;
    h.deliver(q, bad);
  }
  CHECK(h.engine.stats().unsolicited == 1);
  CHECK(h.done.empty());
  CHECK(h.engine.in_flight() == 1);
  h.deliver(q, good);  // the real answer is still accepted
  h.advance_to(1000 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::answer);
}

TEST_CASE("the question name is matched case-insensitively", "[engine][rfc5452]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  auto response = make_response(h.io.sent[0].message, mx_answer);
  response[13] = 'M';
  h.deliver(h.io.sent[0], response);
  h.advance_to(300 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::answer);
  CHECK(h.engine.stats().unsolicited == 0);
}

TEST_CASE("timeouts retransmit with a fresh ID and give up after the retries", "[engine][retry]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  h.advance_to(999 * ms);
  CHECK(h.io.sent.size() == 1);
  h.advance_to(1000 * ms);
  REQUIRE(h.io.sent.size() == 2);
  CHECK(h.io.sent[1].id() != h.io.sent[0].id());
  h.advance_to(2000 * ms);
  REQUIRE(h.io.sent.size() == 3);
  h.advance_to(2999 * ms);
  CHECK(h.done.empty());
  h.advance_to(3000 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::timeout);
  CHECK(h.done[0].attempts == 3);
  CHECK(h.done[0].rcode == -1);
  CHECK(h.engine.stats().retransmits == 2);
  CHECK(h.engine.idle());
}

TEST_CASE("a late answer to an earlier attempt is accepted, with that attempt's RTT", "[engine][retry]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  h.advance_to(1000 * ms);
  REQUIRE(h.io.sent.size() == 2);
  h.advance_to(1100 * ms);
  h.answer(0, mx_answer);
  h.advance_to(1400 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::answer);
  CHECK(h.done[0].attempts == 2);
  CHECK(h.done[0].rtt_ms == Approx(1100.0));
}

TEST_CASE("a second, different answer while lingering is recorded, a repeat is not", "[engine][injection]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  h.advance_to(10 * ms);
  h.answer(0, mx_answer);
  h.advance_to(20 * ms);
  // The same data with another TTL (a resolver answering twice): not an extra response.
  h.answer(0, ResponseSpec{{"mx.example. 290 IN A 192.0.2.1"}});
  h.advance_to(60 * ms);
  h.answer(0, ResponseSpec{{"mx.example. 86400 IN A 203.0.113.66"}});
  h.advance_to(300 * ms);
  REQUIRE(h.done.size() == 1);
  const Observation& o = h.done[0];
  REQUIRE(o.answers.size() == 1);
  CHECK(o.answers[0].rdata == "192.0.2.1");
  REQUIRE(o.extra_responses.size() == 1);
  CHECK(o.extra_responses[0].answers.at(0).rdata == "203.0.113.66");
  CHECK(o.extra_responses[0].after_ms == Approx(50.0));
  CHECK(h.engine.stats().extra_responses == 1);
}

TEST_CASE("TC=1 switches to TCP", "[engine][tcp]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  h.answer(0, ResponseSpec{{}, 0, true});
  REQUIRE(h.io.tcp.size() == 1);
  CHECK(h.io.tcp[0].to == endpoint("192.0.2.53"));
  auto handle = h.io.tcp[0].handle;

  SECTION("the TCP answer completes the query at once") {
    h.io.now_us = 30 * ms;
    auto response = make_response(h.io.tcp[0].message, mx_answer);
    h.engine.on_tcp_message(handle, response, h.io.now_us);
    REQUIRE(h.done.size() == 1);
    CHECK(h.done[0].outcome == Outcome::answer);
    CHECK(h.done[0].transport == Transport::tcp);
    CHECK(h.done[0].attempts == 2);
    CHECK(h.done[0].answers.size() == 1);
  }
  SECTION("a TCP answer with another ID is malformed") {
    auto response = make_response(h.io.tcp[0].message, mx_answer);
    response[0] ^= 0xff;
    h.engine.on_tcp_message(handle, response, h.io.now_us);
    REQUIRE(h.done.size() == 1);
    CHECK(h.done[0].outcome == Outcome::malformed);
  }
  SECTION("a failed connection is a network error") {
    h.engine.on_tcp_error(handle, "connection refused", h.io.now_us);
    REQUIRE(h.done.size() == 1);
    CHECK(h.done[0].outcome == Outcome::network_error);
    CHECK(h.done[0].error == "tcp: connection refused");
  }
  SECTION("no TCP answer in time is a timeout and the connection is cancelled") {
    h.advance_to(1000 * ms);
    REQUIRE(h.done.size() == 1);
    CHECK(h.done[0].outcome == Outcome::timeout);
    CHECK(h.done[0].transport == Transport::udp);
    REQUIRE(h.io.cancelled.size() == 1);
    CHECK(h.io.cancelled[0] == handle);
  }
  CHECK(h.engine.idle());
}

TEST_CASE("a malformed answer is retried at once and reported with its reason", "[engine][malformed]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  for (std::size_t attempt = 0; attempt < 3; ++attempt) {
    REQUIRE(h.io.sent.size() == attempt + 1);
    auto response = make_response(h.io.sent[attempt].message, mx_answer);
    response.push_back(0xde);
    response.push_back(0xad);
    h.deliver(h.io.sent[attempt], response);
  }
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::malformed);
  CHECK(h.done[0].error == "2 trailing bytes after the last record");
  CHECK(h.done[0].attempts == 3);
  CHECK(h.io.now_us == 0);  // no timeout was waited for
}

TEST_CASE("a good answer after a malformed one wins", "[engine][malformed]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  auto broken = make_response(h.io.sent[0].message, mx_answer);
  broken.resize(broken.size() - 3);  // cut inside the answer record
  h.deliver(h.io.sent[0], broken);
  REQUIRE(h.io.sent.size() == 2);
  h.answer(1, mx_answer);
  h.advance_to(500 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::answer);
}

TEST_CASE("a send error ends the query as a network error", "[engine]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  h.engine.on_udp_send_error(h.io.sent[0].handle, "Network is unreachable", 0);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::network_error);
  CHECK(h.done[0].error == "send: Network is unreachable");
  // A stale handle (the slot reused) is ignored.
  h.submit("192.0.2.53", "mx.example");
  h.engine.on_udp_send_error(h.io.sent[0].handle, "late", 0);
  CHECK(h.done.size() == 1);
}

TEST_CASE("the per-resolver token bucket spaces queries to one resolver", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.per_resolver_qps = 5;
  c.linger_ms = 0;
  Harness h(c);
  for (int i = 0; i < 4; ++i) h.submit("192.0.2.53", "n" + std::to_string(i) + ".example");
  h.submit("192.0.2.54", "other.example");
  REQUIRE(h.io.sent.size() == 2);  // one to each resolver at once
  for (std::size_t i = 0; i < h.io.sent.size(); ++i) h.answer(i, {});
  h.advance_to(199 * ms);
  CHECK(h.io.sent.size() == 2);
  h.advance_to(200 * ms + 1);
  CHECK(h.io.sent.size() == 3);
  h.advance_to(400 * ms + 2);
  CHECK(h.io.sent.size() == 4);
  h.advance_to(600 * ms + 3);
  CHECK(h.io.sent.size() == 5);
  for (std::size_t i = 2; i < h.io.sent.size(); ++i) {
    CHECK(h.io.sent[i].to == endpoint("192.0.2.53"));
    CHECK(h.io.sent[i].at_us - h.io.sent[i - 1].at_us >= 200 * ms - 2);
  }
}

TEST_CASE("the global rate limits all resolvers together", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.global_qps = 100;  // burst of one token (1% of the rate, at least one)
  Harness h(c);
  for (int i = 0; i < 5; ++i) h.submit("192.0.2." + std::to_string(10 + i), "mx.example");
  CHECK(h.io.sent.size() == 1);
  h.advance_to(10 * ms + 1);
  CHECK(h.io.sent.size() == 2);
  h.advance_to(40 * ms + 5);
  CHECK(h.io.sent.size() == 5);
}

TEST_CASE("the in-flight cap holds tasks until answers free room", "[engine][window]") {
  EngineConfig c = quick_config();
  c.max_in_flight = 2;
  c.intake_window = 3;
  Harness h(c);
  h.submit("192.0.2.1", "a.example");
  h.submit("192.0.2.2", "a.example");
  CHECK(h.engine.wants_tasks());
  h.submit("192.0.2.3", "a.example");
  CHECK_FALSE(h.engine.wants_tasks());
  CHECK(h.io.sent.size() == 2);
  h.answer(0, {});
  CHECK(h.io.sent.size() == 3);  // the answer left flight at once (lingering does not count)
  CHECK(h.io.sent[2].to == endpoint("192.0.2.3"));
  CHECK(h.engine.wants_tasks());
}

TEST_CASE("two identical tasks are never outstanding together", "[engine][dedupe]") {
  EngineConfig c = quick_config();
  c.linger_ms = 0;
  Harness h(c);
  h.submit("192.0.2.53", "mx.example");
  h.submit("192.0.2.53", "MX.example");  // the same question, another spelling
  h.submit("192.0.2.53", "mx.example", 28);  // another type: independent
  REQUIRE(h.io.sent.size() == 2);
  h.answer(0, mx_answer);
  REQUIRE(h.io.sent.size() == 3);  // the twin goes once the first is done
  CHECK(h.io.sent[2].message == std::vector<std::uint8_t>(h.io.sent[2].message));
  h.answer(2, mx_answer);
  h.answer(1, {});
  CHECK(h.done.size() == 3);
  CHECK(h.engine.idle());
}

TEST_CASE("unsolicited packets from unknown sources are counted per source", "[engine][rfc5452]") {
  Harness h(quick_config());
  std::vector<std::uint8_t> junk{0x12, 0x34, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  h.engine.on_udp_datagram(0, endpoint("198.51.100.7:53"), junk, 0);
  h.engine.on_udp_datagram(0, endpoint("198.51.100.7:9999"), std::vector<std::uint8_t>{1}, 0);
  CHECK(h.engine.stats().unsolicited == 2);
  auto source = endpoint("198.51.100.7");
  source.port = 0;
  REQUIRE(h.engine.unsolicited_by_source().count(source) == 1);
  CHECK(h.engine.unsolicited_by_source().at(source) == 2);
}

TEST_CASE("submit refuses an invalid name without queueing it", "[engine]") {
  Harness h(quick_config());
  Task t;
  t.resolver = endpoint("192.0.2.53");
  t.qname = std::string(64, 'a') + ".example";
  auto error = h.engine.submit(t, 0);
  REQUIRE(error);
  CHECK(h.engine.idle());
}

TEST_CASE("retransmissions do not slip past the per-resolver rate", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.per_resolver_qps = 1;
  c.timeout_ms = 100;
  c.retries = 1;
  c.linger_ms = 0;
  Harness h(c);
  h.submit("192.0.2.53", "a.example");
  h.submit("192.0.2.53", "b.example");
  // a.example times out at 100 ms: its retransmission takes the next token (the bucket goes
  // into debt) and goes when that token is due, 1 s after the first query, not at once.
  h.advance_to(999 * ms);
  CHECK(h.io.sent.size() == 1);
  h.advance_to(1010 * ms);
  REQUIRE(h.io.sent.size() == 2);
  CHECK(h.io.sent[1].at_us >= 1000 * ms);
  h.answer(1, {});
  h.advance_to(1999 * ms);
  CHECK(h.io.sent.size() == 2);  // b waits behind it: 1 s more
  h.advance_to(2050 * ms);
  REQUIRE(h.io.sent.size() == 3);
  CHECK(h.io.sent[2].at_us >= 2000 * ms);
}

TEST_CASE("an answer to the attempt before is still taken while a retransmission waits for its token", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.per_resolver_qps = 1;
  c.timeout_ms = 100;
  c.retries = 1;
  c.linger_ms = 0;
  Harness h(c);
  h.submit("192.0.2.53", "a.example");
  h.advance_to(500 * ms);  // timed out at 100 ms; the retransmission waits until 1 s
  REQUIRE(h.io.sent.size() == 1);
  h.answer(0, {});
  h.advance_to(2000 * ms);
  CHECK(h.io.sent.size() == 1);  // answered: no retransmission went
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::answer);
  CHECK(h.done[0].attempts == 1);
}

TEST_CASE("a bare REFUSED without a question is accepted, a bare NOERROR is not", "[engine][rfc5452]") {
  Harness h(quick_config());
  h.submit("192.0.2.53", "mx.example");
  const auto& q = h.io.sent[0];
  std::vector<std::uint8_t> bare_noerror{q.message[0], q.message[1], 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0};
  h.deliver(q, bare_noerror);
  CHECK(h.engine.stats().unsolicited == 1);
  std::vector<std::uint8_t> bare_refused{q.message[0], q.message[1], 0x81, 0x85, 0, 0, 0, 0, 0, 0, 0, 0};
  h.deliver(q, bare_refused);
  h.advance_to(300 * ms);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].outcome == Outcome::answer);
  CHECK(h.done[0].rcode == 5);
  CHECK(h.done[0].answers.empty());
}

TEST_CASE("a per-resolver rate above the loop's pace is kept although the loop turns seldom", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.per_resolver_qps = 1000;  // one query a millisecond; the loop below turns every 10 ms
  c.linger_ms = 0;
  Harness h(c);
  for (int i = 0; i < 300; ++i) h.submit("192.0.2.53", "n" + std::to_string(i) + ".example");
  for (std::uint64_t t = 10 * ms; t <= 100 * ms; t += 10 * ms) {
    h.io.now_us = t;  // no wake-ups in between: a busy loop's turns
    h.engine.advance(t);
  }
  // 100 ms at 1000/s is 100 queries, plus the bucket (10 ms worth) at the start. A bucket of
  // one token would have let 11 through (one a turn).
  CHECK(h.io.sent.size() >= 100);
  CHECK(h.io.sent.size() <= 110);
}

TEST_CASE("a gentle per-resolver rate keeps a bucket of one even when the loop turns seldom", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.per_resolver_qps = 5;
  c.linger_ms = 0;
  Harness h(c);
  for (int i = 0; i < 10; ++i) h.submit("192.0.2.53", "n" + std::to_string(i) + ".example");
  h.io.now_us = 1000 * ms;  // one turn a second apart: still one query, not a burst of five
  h.engine.advance(h.io.now_us);
  CHECK(h.io.sent.size() == 2);
}

TEST_CASE("drop_queued forgets what waits on the rate limiter and its twins, not what is in flight", "[engine][rate]") {
  EngineConfig c = quick_config();
  c.per_resolver_qps = 0.1;  // one query every 10 s: the rest wait
  c.linger_ms = 0;
  Harness h(c);
  for (int i = 0; i < 4; ++i) h.submit("192.0.2.53", "n" + std::to_string(i) + ".example");
  h.submit("192.0.2.53", "n0.example");  // the twin of the one in flight
  REQUIRE(h.io.sent.size() == 1);
  CHECK(h.engine.drop_queued() == 4);
  CHECK_FALSE(h.engine.idle());  // the query in flight still waits for its answer
  h.answer(0, {});
  CHECK(h.engine.idle());
  h.advance_to(60'000 * ms);
  CHECK(h.io.sent.size() == 1);  // nothing dropped is sent later
  CHECK(h.done.size() == 1);
}
