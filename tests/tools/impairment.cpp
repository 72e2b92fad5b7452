#include "impairment.hpp"

#include <cmath>

namespace mxsentry::test_relay {

namespace {

bool probability(double p) { return std::isfinite(p) && p >= 0 && p <= 1; }
bool delay(int ms) { return ms >= 0 && ms <= 10'000; }

}  // namespace

std::string validate(const Impairment& i) {
  if (!probability(i.loss) || !probability(i.duplicate) || !probability(i.reorder))
    return "loss, duplicate and reorder must be probabilities in [0, 1]";
  if (!delay(i.delay_ms) || !delay(i.jitter_ms) || !delay(i.reorder_ms))
    return "delays must be 0 to 10000 ms";
  return {};
}

Impairer::Impairer(const Impairment& impairment, std::uint64_t seed) : impairment_(impairment), rng_(seed) {}

std::chrono::milliseconds Impairer::delay() {
  std::uniform_int_distribution<int> jitter(0, impairment_.jitter_ms);
  return std::chrono::milliseconds(impairment_.delay_ms + jitter(rng_));
}

Fate Impairer::next() {
  // Every draw is made whatever the outcome, so one datagram's fate does not shift the
  // draws of the next ones.
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const bool lost = unit(rng_) < impairment_.loss;
  const bool twice = unit(rng_) < impairment_.duplicate;
  const bool held = unit(rng_) < impairment_.reorder;
  const auto first = delay();
  const auto second = delay();
  Fate fate;
  if (lost) return fate;
  fate.reordered = held;
  fate.copies.push_back(first + (held ? std::chrono::milliseconds(impairment_.reorder_ms) : std::chrono::milliseconds(0)));
  // The copy goes after the first: a duplicate as the network makes it, never instead of it.
  if (twice) fate.copies.push_back(fate.copies.front() + second + std::chrono::milliseconds(1));
  return fate;
}

std::optional<DnsPeek> peek_dns(std::span<const std::uint8_t> wire) {
  if (wire.size() < 12) return std::nullopt;
  DnsPeek peek;
  peek.id = static_cast<std::uint16_t>((wire[0] << 8) | wire[1]);
  peek.response = (wire[2] & 0x80) != 0;
  const unsigned qdcount = (wire[4] << 8) | wire[5];
  if (qdcount == 0) return std::nullopt;
  std::size_t at = 12;
  while (true) {  // the question of a query or a reply is never compressed
    if (at >= wire.size()) return std::nullopt;
    const std::size_t length = wire[at];
    if (length == 0) break;
    if (length > 63 || at + 1 + length > wire.size() || peek.qname.size() + length + 1 > 254) return std::nullopt;
    for (std::size_t k = 0; k < length; ++k) {
      char c = static_cast<char>(wire[at + 1 + k]);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      // The log is split on spaces: anything but a plain name character is shown as '?'.
      const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      peek.qname += plain ? c : '?';
    }
    peek.qname += '.';
    at += 1 + length;
  }
  if (peek.qname.empty()) peek.qname.push_back('.');  // (not = ".": a false -Wrestrict of g++ 12)
  return peek;
}

}  // namespace mxsentry::test_relay
