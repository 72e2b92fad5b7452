#include "tests/unit/prober/core/engine_harness.h"

#include <stdexcept>

#include "protocol/dns/ldns_include.h"

namespace mxsentry::test {

Endpoint endpoint(const std::string& text) {
  auto e = Endpoint::parse(text);
  if (!e) throw std::invalid_argument("bad endpoint in test: " + text);
  return *e;
}

std::vector<std::uint8_t> make_response(std::span<const std::uint8_t> query, const ResponseSpec& spec) {
  ldns_pkt* pkt = nullptr;
  if (ldns_wire2pkt(&pkt, query.data(), query.size()) != LDNS_STATUS_OK) throw std::runtime_error("bad query");
  ldns_pkt_set_qr(pkt, true);
  ldns_pkt_set_ra(pkt, spec.ra);
  ldns_pkt_set_tc(pkt, spec.tc);
  ldns_pkt_set_rcode(pkt, static_cast<std::uint8_t>(spec.rcode));
  for (const auto& text : spec.answers) {
    ldns_rr* rr = nullptr;
    if (ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK)
      throw std::runtime_error("bad record in test: " + text);
    ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
  }
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  ldns_pkt2wire(&wire, pkt, &size);
  std::vector<std::uint8_t> out(wire, wire + size);
  free(wire);
  ldns_pkt_free(pkt);
  return out;
}

namespace {

EngineConfig with_sockets(EngineConfig c) {
  if (c.udp_sockets == 0) c.udp_sockets = 4;
  return c;
}

}  // namespace

Harness::Harness(EngineConfig config)
    : engine(with_sockets(config), io, random, [this](Observation&& o) { done.push_back(std::move(o)); }) {}

void Harness::submit(const std::string& resolver, const std::string& qname, std::uint16_t qtype) {
  Task t;
  t.resolver = endpoint(resolver);
  t.qname = qname;
  t.qtype = qtype;
  t.index = next_index++;
  if (auto error = engine.submit(t, io.now_us)) throw std::runtime_error(*error);
  engine.advance(io.now_us);
}

void Harness::advance_to(std::uint64_t t_us) {
  // Step through every wake-up on the way, as the event loop would.
  while (true) {
    auto wake = engine.next_wakeup_us();
    if (!wake || *wake > t_us) break;
    io.now_us = std::max(io.now_us, *wake);
    engine.advance(io.now_us);
  }
  io.now_us = t_us;
  engine.advance(io.now_us);
}

void Harness::deliver(const SentDatagram& to_query, std::span<const std::uint8_t> data, std::optional<Endpoint> from,
                      std::optional<std::uint32_t> socket) {
  engine.on_udp_datagram(socket.value_or(to_query.socket), from.value_or(to_query.to), data, io.now_us);
  engine.advance(io.now_us);
}

void Harness::answer(std::size_t i, const ResponseSpec& spec) {
  auto response = make_response(io.sent.at(i).message, spec);
  deliver(io.sent.at(i), response);
}

}  // namespace mxsentry::test
