#pragma once
// What the tests of protocol/dns/ share: a hand-assembler for DNS messages, so that a test can
// place every byte, and a few sample messages.

#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"

namespace mxsentry::test {

using Bytes = std::vector<std::uint8_t>;

struct PktFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktFree>;

/// A message assembled octet by octet; each call appends and returns the builder.
struct Msg {
  Bytes b;
  Msg& u8(std::uint8_t v) {
    b.push_back(v);
    return *this;
  }
  Msg& u16(std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  Msg& u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    return u16(static_cast<std::uint16_t>(v));
  }
  Msg& header(std::uint16_t id, std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns,
              std::uint16_t ar) {
    return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }
  Msg& raw(std::string_view s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Msg& label(std::string_view s) {
    u8(static_cast<std::uint8_t>(s.size()));
    return raw(s);
  }
  Msg& ptr(std::size_t offset) { return u16(static_cast<std::uint16_t>(0xc000 | offset)); }
  Msg& question(std::string_view qname_wire, std::uint16_t type, std::uint16_t klass = 1) {
    return raw(qname_wire).u16(type).u16(klass);
  }
  // Fixed part of a record after its owner name, followed by rdata.
  Msg& rr_tail(std::uint16_t type, std::uint16_t klass, std::uint32_t ttl, const Bytes& rdata) {
    u16(type).u16(klass).u32(ttl).u16(static_cast<std::uint16_t>(rdata.size()));
    b.insert(b.end(), rdata.begin(), rdata.end());
    return *this;
  }
  Msg& opt(std::uint16_t udp = 1232) { return u8(0).rr_tail(41, udp, 0, {}); }
  std::size_t size() const { return b.size(); }
};

/// The wire form of a name the test knows is valid.
inline std::string to_wire(std::string_view name) {
  auto w = wire::name_to_wire(name);
  REQUIRE(w.has_value());
  return *w;
}

/// The first `n` octets of `b`.
inline Bytes prefix(const Bytes& b, std::size_t n) {
  return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
}

/// The message as ldns reads it; fails the test when ldns refuses it.
inline PktPtr ldns_read(const Bytes& b) {
  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_wire2pkt(&raw, b.data(), b.size()) == LDNS_STATUS_OK);
  return PktPtr(raw);
}

/// A response to "example.com. A" built by hand: question + one A record in each section + OPT.
// Offsets: header 0..11, qname 12..24, qtype/qclass 25..28.
inline Bytes full_response() {
  Msg m;
  m.header(0x1234, 0x8180, 1, 1, 1, 2);
  m.question(to_wire("example.com."), 1);
  m.ptr(12).rr_tail(1, 1, 300, {192, 0, 2, 1});               // answer: 29..44
  m.ptr(12).rr_tail(2, 1, 300, {2, 'n', 's', 0xc0, 12});      // authority: 45..61
  m.label("ns").ptr(12).rr_tail(1, 1, 300, {192, 0, 2, 53});  // additional: 62..80
  m.opt();                                                    // 81..91
  return m.b;
}

}  // namespace mxsentry::test
