// Spoofing resistance, measured on the wire: 10,000 queries through the real engine and its
// libuv driver to a loopback responder that records every query. An off-path forger must
// guess the 16-bit ID and the source port (RFC 5452 section 9.2); both must be spread
// uniformly, and the engine must never have one (resolver, question) outstanding twice, which
// would give a forger two chances per guess (the birthday attack of RFC 5452 section 5).

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <thread>

#include "chi_square.h"
#include "loopback_recorder.h"
#include "prober/core/random_source.h"
#include "prober/io/task_feed.h"
#include "prober/io/uv_query_driver.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {

constexpr std::size_t distinct_questions = 1000;
constexpr std::size_t asked_each = 10;  // the same question 10 times in a row: twins
constexpr std::uint32_t pool_sockets = 64;

}  // namespace

TEST_CASE("spoofing: 10,000 queries spread IDs and source ports uniformly, never one question twice at once",
          "[integration][spoofing]") {
  LoopbackRecorder responder(/*hold_ms=*/3);
  const Endpoint server = *Endpoint::parse("127.0.0.1:" + std::to_string(responder.port()));
  std::vector<Task> tasks;
  for (std::size_t q = 0; q < distinct_questions; ++q)
    for (std::size_t k = 0; k < asked_each; ++k) {
      Task t;
      t.resolver = server;
      // Letter case varies between twins: the engine must see them as one question.
      t.qname = (k % 2 ? "Q" : "q") + std::to_string(q) + ".spoof.example.";
      t.index = tasks.size();
      tasks.push_back(t);
    }
  EngineConfig config;
  config.per_resolver_qps = 0;
  config.max_in_flight = 500;
  config.timeout_ms = 10'000;  // no retransmission: every query seen is a distinct one
  config.retries = 0;
  config.linger_ms = 5;
  config.udp_sockets = pool_sockets;
  VectorFeed feed(tasks);
  SystemRandom random;
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::size_t answered = 0;
  EngineStats stats;
  {
    UvQueryDriver driver(&loop, config, {}, feed, random, [&](Observation&& o) {
      if (o.outcome == Outcome::answer) ++answered;
    });
    REQUIRE(driver.start().empty());
    uv_run(&loop, UV_RUN_DEFAULT);
    stats = driver.engine().stats();
  }
  CHECK(uv_loop_close(&loop) == 0);
  responder.stop();

  const std::size_t n = distinct_questions * asked_each;
  REQUIRE(stats.retransmits == 0);
  REQUIRE(answered == n);
  REQUIRE(responder.unparsable == 0);
  REQUIRE(responder.queries.size() == n);

  // Never two queries for one question held by the responder at once.
  CHECK(responder.twice_outstanding == 0);

  // IDs: 256 bins by the high byte and 256 by the low byte (10,000 / 256 = 39 expected per
  // bin), 255 degrees of freedom each; and the step from one query's ID to the next, binned by
  // its high byte (a counter or a small-step generator fails there). Each statistic stays below
  // the value a uniform source exceeds with probability 1e-6 (377.1 for 255 dof).
  std::vector<std::uint64_t> high(256), low(256), step(256);
  for (std::size_t i = 0; i < responder.queries.size(); ++i) {
    const std::uint16_t id = responder.queries[i].id;
    ++high[id >> 8];
    ++low[id & 0xff];
    if (i > 0) ++step[static_cast<std::uint16_t>(id - responder.queries[i - 1].id) >> 8];
  }
  const double id_limit = chi_square_critical(255, z_one_in_a_million);
  INFO("critical value for 255 dof at p = 1e-6: " << id_limit);
  CHECK(chi_square_uniform(high) < id_limit);
  CHECK(chi_square_uniform(low) < id_limit);
  CHECK(chi_square_uniform(step) < id_limit);

  // Source ports: the driver opens a pool of 64 sockets, each on a port the kernel picks at
  // random, and the engine picks a socket per attempt. Every socket has a port of its own, and
  // the choice among them is uniform: 64 bins (156 expected each), 63 degrees of freedom,
  // below the 1e-6 critical value (131.4).
  std::map<std::uint16_t, std::uint64_t> by_port;
  for (const auto& q : responder.queries) ++by_port[q.source_port];
  REQUIRE(by_port.size() == pool_sockets);
  std::vector<std::uint64_t> port_bins;
  for (const auto& [port, count] : by_port) port_bins.push_back(count);
  const double port_limit = chi_square_critical(pool_sockets - 1, z_one_in_a_million);
  INFO("critical value for 63 dof at p = 1e-6: " << port_limit);
  CHECK(chi_square_uniform(port_bins) < port_limit);
}

TEST_CASE("spoofing: the chi-square check fails for a skewed or sequential source", "[spoofing]") {
  // The statistic the test above relies on must be able to fail: IDs from a counter and a
  // source that never sets the top bit are far above the limit; a uniform one is below.
  std::vector<std::uint64_t> step(256), high(256), uniform(256);
  std::uint16_t previous = 1000;
  SeededRandom random(7);
  for (int i = 0; i < 10'000; ++i) {
    const std::uint16_t counter = static_cast<std::uint16_t>(1000 + i + 1);
    ++step[static_cast<std::uint16_t>(counter - previous) >> 8];
    previous = counter;
    ++high[(random.next_u32() & 0x7fff) >> 8];
    ++uniform[(random.next_u32() & 0xffff) >> 8];
  }
  const double limit = chi_square_critical(255, z_one_in_a_million);
  CHECK(chi_square_uniform(step) > limit);
  CHECK(chi_square_uniform(high) > limit);
  CHECK(chi_square_uniform(uniform) < limit);
  // Within 0.5% of the exact quantiles (found by bisection on the regularized upper incomplete
  // gamma function: 377.08 for 255 dof, 131.37 for 63).
  CHECK(limit == Approx(377.08).epsilon(0.005));
  CHECK(chi_square_critical(63, z_one_in_a_million) == Approx(131.37).epsilon(0.005));
}

TEST_CASE("spoofing: the recorder counts a question that comes while its twin is held", "[spoofing]") {
  // The twin check above must be able to fail: two queries for one question sent back to back
  // (letter case apart) are one twin too many; a third after both were answered is not.
  LoopbackRecorder responder(/*hold_ms=*/200);
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(responder.port());
  auto send_query = [&](std::uint16_t id, const char* first_label) {
    std::vector<std::uint8_t> q = {static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    q.push_back(2);
    q.insert(q.end(), first_label, first_label + 2);
    q.insert(q.end(), {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1});
    sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  };
  send_query(1, "mx");
  send_query(2, "MX");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  send_query(3, "mx");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  responder.stop();
  close(fd);
  REQUIRE(responder.queries.size() == 3);
  CHECK(responder.twice_outstanding == 1);
}
