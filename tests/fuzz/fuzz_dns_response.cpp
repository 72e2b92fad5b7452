// Fuzz target: a resolver's reply, from wire bytes to the observation a prober sends on.
// The first input byte chooses how the reply arrives, the rest is the reply. Its ID is set to
// the query's so that the engine's RFC 5452 checks, the structural walk, both record parsers
// (the fast one and ldns) and the observation's msgpack encoding all see hostile bytes; the
// seeds carry the question the harness asks (mx.example. A) so that the fuzzer gets past the
// question check.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "prober/core/query_engine.h"
#include "prober/core/response_parse.h"
#include "protocol/dns/dns_wire.h"
#include "protocol/message_codec.h"
#include "results/observation_json.h"

namespace {

using namespace mxsentry;

class RecordingIo final : public QueryIo {
 public:
  struct Sent {
    std::uint64_t handle;
    std::uint32_t socket;
    std::vector<std::uint8_t> message;
  };
  void send_udp(std::uint64_t handle, std::uint32_t socket, const Endpoint&,
                std::span<const std::uint8_t> message) override {
    udp.push_back({handle, socket, {message.begin(), message.end()}});
  }
  void start_tcp(std::uint64_t handle, const Endpoint&, std::span<const std::uint8_t> message) override {
    tcp.push_back({handle, 0, {message.begin(), message.end()}});
  }
  void cancel_tcp(std::uint64_t) override {}
  std::vector<Sent> udp, tcp;
};

// The checks and parsers alone, on the raw bytes.
void parse_alone(std::span<const std::uint8_t> packet, const std::string& qname_wire) {
  (void)wire::check_question(packet, qname_wire, 1);
  if (!wire::check_structure(packet).empty()) return;  // the parsers' precondition
  ParsedResponse fast, slow;
  std::string error;
  (void)detail::parse_response_fast(packet, fast);
  (void)detail::parse_response_ldns(packet, slow, &error);
  (void)parse_response(packet, &error);
}

std::vector<std::uint8_t> with_id(std::span<const std::uint8_t> reply, std::span<const std::uint8_t> query) {
  std::vector<std::uint8_t> out(reply.begin(), reply.end());
  for (std::size_t i = 0; i < 2 && i < out.size(); ++i) out[i] = query[i];
  return out;
}

// The query sent back with QR and TC set: the engine then asks again over TCP.
std::vector<std::uint8_t> truncated_reply(const std::vector<std::uint8_t>& query) {
  std::vector<std::uint8_t> out = query;
  out[2] |= 0x80 | 0x02;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  std::span<const std::uint8_t> reply(data + 1, size - 1);
  static const std::string qname_wire = *wire::name_to_wire("mx.example.");
  parse_alone(reply, qname_wire);

  RecordingIo io;
  SeededRandom random(mode);
  std::vector<Observation> done;
  EngineConfig config;
  config.per_resolver_qps = 0;
  config.timeout_ms = 1000;
  config.retries = 0;
  config.linger_ms = 100;
  config.udp_sockets = 2;
  QueryEngine engine(config, io, random, [&](Observation&& o) { done.push_back(std::move(o)); });
  const Endpoint resolver = *Endpoint::parse("192.0.2.53");
  Task task;
  task.resolver = resolver;
  task.qname = "mx.example.";
  task.keep_message = (mode & 1) != 0;
  if (engine.submit(task, 0)) return 0;
  engine.advance(0);
  if (io.udp.empty()) __builtin_trap();  // the harness itself is broken
  const auto& query = io.udp.front();
  std::uint64_t now = 1000;
  if (mode & 2) {
    // Over TCP: a truncated UDP reply first, then the fuzzed message on the connection.
    auto tc = truncated_reply(query.message);
    engine.on_udp_datagram(query.socket, resolver, tc, now);
    engine.advance(now);
    if (!io.tcp.empty()) {
      auto message = with_id(reply, io.tcp.front().message);
      engine.on_tcp_message(io.tcp.front().handle, message, now += 1000);
    }
  } else {
    auto message = with_id(reply, query.message);
    engine.on_udp_datagram(query.socket, resolver, message, now);
    if (mode & 4) {
      // A second reply during the linger: the raw bytes unchanged (a different ID, mostly).
      engine.on_udp_datagram(query.socket, resolver, reply, now += 10);
      engine.on_udp_datagram(query.socket, resolver, message, now += 10);
    }
  }
  for (int i = 0; i < 8 && !engine.idle(); ++i) engine.advance(now += 600'000);
  // MXSENTRY_FUZZ_VERBOSE=1: what each input became (to see that the seeds reach the engine).
  static const bool verbose = std::getenv("MXSENTRY_FUZZ_VERBOSE") != nullptr;
  for (Observation& o : done) {
    if (verbose)
      std::fprintf(stderr, "mode %u: outcome %d rcode %d answers %zu unsolicited %u extra %zu error '%s'\n", mode,
                   static_cast<int>(o.outcome), o.rcode, o.answers.size(), o.unsolicited, o.extra_responses.size(),
                   o.error.c_str());
    std::string json;
    append_observation_json(json, o);
    protocol::clamp_to_limits(o, protocol::Limits{});
    // What the prober would send the coordinator must read back.
    (void)protocol::decode_observation(protocol::encode_observation(o));
  }
  return 0;
}
