// What mxsentry-test-impairment-relay does to each datagram: dropped, or sent as one or two
// copies after chosen delays. Seeded and free of sockets, so a run can be told from its seed
// and the choices tested alone (tests/unit/tools/impairment_test.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace mxsentry::test_relay {

/// Faults applied to one direction of the relay.
struct Impairment {
  double loss = 0;       ///< probability that a datagram is dropped
  double duplicate = 0;  ///< probability that a datagram that goes is sent twice
  double reorder = 0;    ///< probability that a datagram is held `reorder_ms` more, so later ones pass it
  int delay_ms = 0;      ///< every copy waits this long ...
  int jitter_ms = 0;     ///< ... plus a uniform draw in [0, jitter_ms]
  int reorder_ms = 0;
};

/// Empty, or what is wrong: probabilities in [0, 1], delays in [0, 10,000] ms.
std::string validate(const Impairment& impairment);

/// The fate of one datagram.
struct Fate {
  bool reordered = false;                       ///< held back by reorder_ms
  std::vector<std::chrono::milliseconds> copies;  ///< when each copy goes; empty: dropped
};

/// Draws fates from a seeded generator: the same seed and the same sequence of calls give
/// the same fates.
class Impairer {
 public:
  Impairer(const Impairment& impairment, std::uint64_t seed);
  Fate next();

 private:
  std::chrono::milliseconds delay();
  Impairment impairment_;
  std::mt19937_64 rng_;
};

/// The header ID, the QR bit and the question name of a DNS message, for the relay's log.
struct DnsPeek {
  std::uint16_t id = 0;
  bool response = false;
  std::string qname;  ///< lower case, with the final dot; "." for the root
};
/// nullopt when the message has no header or its first question cannot be read.
std::optional<DnsPeek> peek_dns(std::span<const std::uint8_t> wire);

}  // namespace mxsentry::test_relay
