// The libuv driver against a loopback responder that misbehaves on purpose: every RFC 5452
// check, retry, TCP fallback and malformed-packet path, over real sockets.
#include <catch2/catch.hpp>

#include <map>

#include <uv.h>

#include "integration/child_process.h"
#include "prober/core/random_source.h"
#include "prober/io/task_feed.h"
#include "prober/io/uv_query_driver.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

struct Responder {
  ChildProcess process{{MXSENTRY_TEST_RESPONDER, "--listen", "127.0.0.1:0", "--max-seconds", "60"}};
  Endpoint endpoint;
  Responder() {
    std::string line = process.read_line(5000);
    REQUIRE(line.rfind("ready ", 0) == 0);
    endpoint = *Endpoint::parse("127.0.0.1:" + line.substr(6));
  }
};

struct Run {
  std::map<std::string, Observation> by_name;
  EngineStats stats;
  int loop_close = -1;
};

Run probe(const Endpoint& server, const std::vector<std::pair<std::string, std::uint16_t>>& questions,
          EngineConfig config, DriverOptions options = {}) {
  std::vector<Task> tasks;
  for (const auto& [name, type] : questions) {
    Task t;
    t.resolver = server;
    t.qname = name;
    t.qtype = type;
    t.index = tasks.size();
    tasks.push_back(t);
  }
  VectorFeed feed(tasks);
  SystemRandom random;
  uv_loop_t loop;
  uv_loop_init(&loop);
  Run run;
  {
    UvQueryDriver driver(&loop, config, options, feed, random, [&run](Observation&& o) {
      std::string key = o.qname + "/" + std::to_string(o.qtype);
      run.by_name.emplace(key, std::move(o));
    });
    REQUIRE(driver.start().empty());
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK(driver.finished());
    run.stats = driver.engine().stats();
  }
  run.loop_close = uv_loop_close(&loop);
  return run;
}

EngineConfig test_config() {
  EngineConfig c;
  c.timeout_ms = 300;
  c.retries = 2;
  c.linger_ms = 150;
  c.per_resolver_qps = 0;
  c.udp_sockets = 8;
  return c;
}

const Observation& get(const Run& run, const std::string& name, std::uint16_t type = 1) {
  auto it = run.by_name.find(name + "/" + std::to_string(type));
  if (it == run.by_name.end()) FAIL("no observation for " << name);
  return it->second;
}

}  // namespace

TEST_CASE("driver: every misbehaviour of a responder ends in the right outcome", "[integration][driver]") {
  Responder responder;
  std::vector<std::pair<std::string, std::uint16_t>> questions;
  for (const char* label : {"ok", "wrongid", "wrongport", "wrongname", "wrongtype", "noquestion", "garbage",
                            "garbageonly", "compressloop", "truncated", "trailing", "twoopt", "tc", "tcclose",
                            "silent", "slow", "dropfirst", "twice", "servfail", "refused", "cname"})
    questions.emplace_back(std::string(label) + ".t.example.", 1);
  questions.emplace_back("ok.t.example.", 28);
  Run run = probe(responder.endpoint, questions, test_config());
  CHECK(run.loop_close == 0);
  REQUIRE(run.by_name.size() == questions.size());

  const Observation& ok = get(run, "ok.t.example.");
  CHECK(ok.outcome == Outcome::answer);
  CHECK(ok.attempts == 1);
  REQUIRE(ok.answers.size() == 1);
  CHECK(ok.answers[0].rdata == "127.0.0.1");
  CHECK(ok.edns.present);
  CHECK(ok.edns.do_bit);
  CHECK(ok.rtt_ms > 0);
  CHECK(ok.rtt_ms < 300);
  CHECK(get(run, "ok.t.example.", 28).answers.at(0).rdata == "::1");

  // Forged first replies are dropped; the genuine answer that follows is accepted.
  for (const char* name : {"wrongid.t.example.", "wrongport.t.example.", "wrongname.t.example.",
                           "wrongtype.t.example.", "noquestion.t.example.", "garbage.t.example."}) {
    INFO(name);
    const Observation& o = get(run, name);
    CHECK(o.outcome == Outcome::answer);
    CHECK(o.attempts == 1);
    CHECK(o.extra_responses.empty());
    REQUIRE(o.answers.size() == 1);
    CHECK(o.answers[0].rdata == "127.0.0.1");
  }
  // Replies that reached the query's socket and ID but failed a check are charged to it.
  CHECK(get(run, "wrongport.t.example.").unsolicited == 1);
  CHECK(get(run, "wrongname.t.example.").unsolicited == 1);
  CHECK(get(run, "wrongtype.t.example.").unsolicited == 1);
  CHECK(get(run, "noquestion.t.example.").unsolicited == 1);
  CHECK(run.stats.unsolicited >= 9);  // the six above and three garbage-only packets

  const Observation& garbage_only = get(run, "garbageonly.t.example.");
  CHECK(garbage_only.outcome == Outcome::timeout);
  CHECK(garbage_only.attempts == 3);

  struct Broken {
    const char* name;
    const char* reason;
  };
  for (Broken b : {Broken{"compressloop.t.example.", "answer section: compression loop"},
                   Broken{"truncated.t.example.", "truncated in the answer section"},
                   Broken{"trailing.t.example.", "7 trailing bytes after the last record"},
                   Broken{"twoopt.t.example.", "more than one OPT record"}}) {
    INFO(b.name);
    const Observation& o = get(run, b.name);
    CHECK(o.outcome == Outcome::malformed);
    CHECK(o.error == b.reason);
    CHECK(o.attempts == 3);
  }

  const Observation& tc = get(run, "tc.t.example.");
  CHECK(tc.outcome == Outcome::answer);
  CHECK(tc.transport == Transport::tcp);
  CHECK(tc.attempts == 2);
  CHECK(tc.answers.size() == 1);

  const Observation& tcclose = get(run, "tcclose.t.example.");
  CHECK(tcclose.outcome == Outcome::network_error);
  CHECK(tcclose.error == "tcp: connection closed before a complete answer");

  const Observation& silent = get(run, "silent.t.example.");
  CHECK(silent.outcome == Outcome::timeout);
  CHECK(silent.attempts == 3);

  const Observation& slow = get(run, "slow.t.example.");  // 400 ms: after the first retransmission
  CHECK(slow.outcome == Outcome::answer);
  CHECK(slow.attempts == 2);
  CHECK(slow.rtt_ms >= 390);

  const Observation& dropfirst = get(run, "dropfirst.t.example.");
  CHECK(dropfirst.outcome == Outcome::answer);
  CHECK(dropfirst.attempts == 2);

  const Observation& twice = get(run, "twice.t.example.");
  CHECK(twice.outcome == Outcome::answer);
  CHECK(twice.answers.at(0).rdata == "127.0.0.1");
  REQUIRE(twice.extra_responses.size() == 1);
  CHECK(twice.extra_responses[0].answers.at(0).rdata == "127.0.0.66");
  CHECK(twice.extra_responses[0].answers.at(0).ttl == 86400);
  CHECK(twice.extra_responses[0].after_ms >= 40);

  CHECK(get(run, "servfail.t.example.").rcode == 2);
  CHECK(get(run, "refused.t.example.").rcode == 5);
  const Observation& cname = get(run, "cname.t.example.");
  REQUIRE(cname.answers.size() == 2);
  CHECK(cname.answers[0].type == 5);
  CHECK(cname.answers[1].rdata == "127.0.0.2");
}

TEST_CASE("driver: many queries through a small window and socket pool all complete", "[integration][driver]") {
  Responder responder;
  std::vector<std::pair<std::string, std::uint16_t>> questions;
  for (int i = 0; i < 3000; ++i) questions.emplace_back("ok" + std::to_string(i) + ".t.example.", 1);
  EngineConfig c = test_config();
  c.max_in_flight = 50;
  c.udp_sockets = 2;
  c.linger_ms = 20;
  Run run = probe(responder.endpoint, questions, c);
  CHECK(run.loop_close == 0);
  CHECK(run.by_name.size() == 3000);
  CHECK(run.stats.answered == 3000);
  CHECK(run.stats.unsolicited == 0);
}

TEST_CASE("driver: a resolver where nothing listens times out without errors", "[integration][driver]") {
  EngineConfig c = test_config();
  c.timeout_ms = 100;
  c.retries = 1;
  Run run = probe(*Endpoint::parse("127.0.0.1:9"), {{"x.example.", 1}}, c);
  CHECK(run.loop_close == 0);
  const Observation& o = get(run, "x.example.");
  CHECK(o.outcome == Outcome::timeout);
  CHECK(o.attempts == 2);
}

TEST_CASE("driver: a datagram the kernel refuses ends its query as a network error at once", "[integration][driver]") {
  // Port 0 cannot be sent to (EINVAL): nothing leaves the machine, and the query must fail
  // with the reason instead of waiting for its timeouts.
  Endpoint nowhere = *Endpoint::parse("127.0.0.1:9");
  nowhere.port = 0;
  EngineConfig c = test_config();
  c.timeout_ms = 5000;
  auto started = uv_hrtime();
  Run run = probe(nowhere, {{"x.example.", 1}, {"y.example.", 1}}, c);
  CHECK(run.loop_close == 0);
  for (const char* name : {"x.example.", "y.example."}) {
    const Observation& o = get(run, name);
    CHECK(o.outcome == Outcome::network_error);
    CHECK(o.error.rfind("send: ", 0) == 0);
  }
  CHECK(run.stats.network_errors == 2);
  CHECK((uv_hrtime() - started) / 1'000'000 < 2000);
}
