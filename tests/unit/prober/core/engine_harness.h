#pragma once
// A QueryEngine in simulated time: a fake I/O layer that records what the engine sends, and a
// builder for the responses a test wants to feed back.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "prober/core/query_engine.h"

namespace mxsentry::test {

struct SentDatagram {
  std::uint64_t handle;
  std::uint32_t socket;
  Endpoint to;
  std::vector<std::uint8_t> message;
  std::uint64_t at_us;
  std::uint16_t id() const { return static_cast<std::uint16_t>((message[0] << 8) | message[1]); }
};

struct TcpStart {
  std::uint64_t handle;
  Endpoint to;
  std::vector<std::uint8_t> message;
};

class FakeIo final : public QueryIo {
 public:
  void send_udp(std::uint64_t handle, std::uint32_t socket, const Endpoint& to,
                std::span<const std::uint8_t> message) override {
    sent.push_back({handle, socket, to, {message.begin(), message.end()}, now_us});
  }
  void start_tcp(std::uint64_t handle, const Endpoint& to, std::span<const std::uint8_t> message) override {
    tcp.push_back({handle, to, {message.begin(), message.end()}});
  }
  void cancel_tcp(std::uint64_t handle) override { cancelled.push_back(handle); }

  std::uint64_t now_us = 0;
  std::vector<SentDatagram> sent;
  std::vector<TcpStart> tcp;
  std::vector<std::uint64_t> cancelled;
};

/// A response to `query` (a wire query message): the records are zone-file lines, e.g.
/// "mx.example. 300 IN A 192.0.2.1".
struct ResponseSpec {
  std::vector<std::string> answers;
  int rcode = 0;
  bool tc = false;
  bool ra = true;
};
std::vector<std::uint8_t> make_response(std::span<const std::uint8_t> query, const ResponseSpec& spec);

/// Engine, fake I/O and a deterministic random source together, time advanced by hand.
struct Harness {
  explicit Harness(EngineConfig config);
  void submit(const std::string& resolver, const std::string& qname, std::uint16_t qtype = 1);
  void advance_to(std::uint64_t t_us);
  void deliver(const SentDatagram& to_query, std::span<const std::uint8_t> data,
               std::optional<Endpoint> from = std::nullopt, std::optional<std::uint32_t> socket = std::nullopt);
  /// Answers `sent[i]` with the given spec from the address it was sent to.
  void answer(std::size_t i, const ResponseSpec& spec);

  FakeIo io;
  SeededRandom random{42};
  std::vector<Observation> done;
  QueryEngine engine;
  std::uint64_t next_index = 0;
};

Endpoint endpoint(const std::string& text);

}  // namespace mxsentry::test
