#include "tests/tools/farm_wire.hpp"

#include <cstring>

namespace mxsentry::farm {

namespace {

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

bool plain_label_byte(std::uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Offset past a (possibly compressed) name in a record, or 0 when malformed.
std::size_t skip_name(const std::uint8_t* p, std::size_t off, std::size_t len) {
  while (off < len) {
    const std::uint8_t l = p[off];
    if (l == 0) return off + 1;
    if ((l & 0xc0) == 0xc0) return off + 2 <= len ? off + 2 : 0;
    if (l > 63) return 0;
    off += 1 + std::size_t{l};
  }
  return 0;
}

class Writer {
 public:
  Writer(std::uint8_t* wire, std::size_t at) : p_(wire), at_(at) {}
  std::size_t size() const { return at_; }
  void u8(unsigned v) { p_[at_++] = static_cast<std::uint8_t>(v); }
  void u16(unsigned v) {
    u8(v >> 8);
    u8(v);
  }
  void u32(std::uint32_t v) {
    u16(v >> 16);
    u16(v & 0xffff);
  }
  void bytes(const void* data, std::size_t n) {
    std::memcpy(p_ + at_, data, n);
    at_ += n;
  }
  void pointer(std::size_t offset) { u16(0xc000 | static_cast<unsigned>(offset)); }
  // A name in full, without compression ("." is the root).
  void name(std::string_view dotted) {
    while (!dotted.empty() && dotted != ".") {
      const std::size_t dot = dotted.find('.');
      const std::string_view label = dotted.substr(0, dot);
      u8(static_cast<unsigned>(label.size()));
      bytes(label.data(), label.size());
      dotted = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot + 1);
    }
    u8(0);
  }
  // Type, class IN, TTL; returns where RDLENGTH goes (filled by end_rdata).
  std::size_t record_head(std::uint16_t type, std::uint32_t ttl) {
    u16(type);
    u16(1);
    u32(ttl);
    const std::size_t rdlength = at_;
    u16(0);
    return rdlength;
  }
  void end_rdata(std::size_t rdlength) {
    const std::size_t n = at_ - rdlength - 2;
    p_[rdlength] = static_cast<std::uint8_t>(n >> 8);
    p_[rdlength + 1] = static_cast<std::uint8_t>(n);
  }

 private:
  std::uint8_t* p_;
  std::size_t at_;
};

constexpr std::uint32_t zone_ttl = 3600, delegation_ttl = 86400;

// Writes the names the reply mentions: compressed against the question when it holds them.
struct Names {
  const Query& query;
  const WireContext& context;
  std::uint32_t zone_index;
  ZoneText zone_text;           // the name of the plan's zone
  std::size_t zone_offset = 0;  // where the zone's name starts in the question; 0 = not there

  Names(const Query& q, const WireContext& c, std::uint32_t zone)
      : query(q), context(c), zone_index(zone), zone_text(farm::zone_text(*c.model, zone)) {
    const std::string_view name = q.name(), zone_name = zone_text.view();
    if (name.size() < zone_name.size() || name.substr(name.size() - zone_name.size()) != zone_name) return;
    if (name.size() > zone_name.size() && name[name.size() - zone_name.size() - 1] != '.') return;
    // The label lengths in the wire form line up with the dots of the text form.
    zone_offset = 12 + (name.size() - zone_name.size());
  }
  void zone(Writer& w) const {
    if (zone_offset != 0) w.pointer(zone_offset); else w.name(zone_text.view());
  }
  void owner(Writer& w, Owner owner) const {
    if (owner == Owner::root) w.u8(0); else zone(w);
  }
  void server(Writer& w, std::uint8_t index) const {  // ns1.<zone>, ns2.<zone>
    const char label[4] = {3, 'n', 's', static_cast<char>('1' + index)};
    w.bytes(label, sizeof label);
    zone(w);
  }
  std::uint32_t server_address(std::uint8_t index) const { return context.first_auth + auth_offset(zone_index, index); }
};

void soa(Writer& w, const Names& names, Owner owner) {
  names.owner(w, owner);
  const std::size_t rd = w.record_head(type_soa, zone_ttl);
  if (owner == Owner::root) {
    w.name(names.context.root_server);
    w.name("hostmaster.farm-root.");
  } else {
    names.server(w, 0);
    w.bytes("\x0ahostmaster", 11);
    names.zone(w);
  }
  for (std::uint32_t v : {1u, 7200u, 3600u, 1209600u, 300u}) w.u32(v);  // serial .. minimum
  w.end_rdata(rd);
}

// NS records of `owner`; returns how many.
unsigned ns_records(Writer& w, const Names& names, Owner owner, std::uint32_t ttl) {
  if (owner == Owner::root) {
    w.u8(0);
    const std::size_t rd = w.record_head(type_ns, ttl);
    w.name(names.context.root_server);
    w.end_rdata(rd);
    return 1;
  }
  for (std::uint8_t i = 0; i < 2; ++i) {
    names.zone(w);
    const std::size_t rd = w.record_head(type_ns, ttl);
    names.server(w, i);
    w.end_rdata(rd);
  }
  return 2;
}

unsigned glue(Writer& w, const Names& names, Owner owner, std::uint32_t ttl) {
  if (owner == Owner::root) {
    w.name(names.context.root_server);
    const std::size_t rd = w.record_head(type_a, ttl);
    w.u32(names.context.first_auth);
    w.end_rdata(rd);
    return 1;
  }
  for (std::uint8_t i = 0; i < 2; ++i) {
    names.server(w, i);
    const std::size_t rd = w.record_head(type_a, ttl);
    w.u32(names.server_address(i));
    w.end_rdata(rd);
  }
  return 2;
}

unsigned addresses(Writer& w, const Query& query, const AnswerSet& set) {
  if (query.qtype == type_a) {
    for (std::uint8_t i = 0; i < set.v4_count; ++i) {
      w.pointer(12);
      const std::size_t rd = w.record_head(type_a, set.ttl);
      w.u32(set.v4[i]);
      w.end_rdata(rd);
    }
    return set.v4_count;
  }
  for (std::uint8_t i = 0; i < set.v6_count; ++i) {
    w.pointer(12);
    const std::size_t rd = w.record_head(type_aaaa, set.ttl);
    w.bytes(set.v6[i].data(), 16);
    w.end_rdata(rd);
  }
  return set.v6_count;
}

void put16(std::uint8_t* p, unsigned v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::optional<Query> parse_query(const std::uint8_t* p, std::size_t len) {
  if (len < 12 || (p[2] & 0x80) != 0 || (p[2] & 0x78) != 0 || get16(p + 4) != 1) return std::nullopt;
  Query q;
  std::size_t off = 12;
  while (true) {
    if (off >= len) return std::nullopt;
    const std::uint8_t l = p[off];
    if (l == 0) break;
    if (l > 63 || off + 1 + l >= len || q.name_size + l + 1 > 254) return std::nullopt;
    for (std::size_t i = 0; i < l; ++i) {
      const std::uint8_t c = p[off + 1 + i];
      if (!plain_label_byte(c)) return std::nullopt;
      q.name_text[q.name_size++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    q.name_text[q.name_size++] = '.';
    off += 1 + std::size_t{l};
  }
  if (q.name_size == 0) q.name_text[q.name_size++] = '.';
  off += 1;
  if (off + 4 > len || get16(p + off + 2) != 1) return std::nullopt;  // class IN only
  q.qtype = get16(p + off);
  off += 4;
  q.question_end = off;
  const unsigned records = unsigned{get16(p + 6)} + get16(p + 8) + get16(p + 10);
  const unsigned first_additional = unsigned{get16(p + 6)} + get16(p + 8);
  for (unsigned i = 0; i < records; ++i) {
    off = skip_name(p, off, len);
    if (off == 0 || off + 10 > len) return std::nullopt;
    if (i >= first_additional && get16(p + off) == 41) {
      q.edns = true;
      q.dnssec_ok = (p[off + 6] & 0x80) != 0;
    }
    off += 10 + std::size_t{get16(p + off + 8)};
    if (off > len) return std::nullopt;
  }
  return q;
}

std::size_t write_reply(std::uint8_t* wire, const Query& query, const Plan& plan, const WireContext& context) {
  Writer w(wire, query.question_end);
  const Names names(query, context, plan.zone);
  unsigned answer = 0, authority = 0, additional = 0;
  switch (plan.content) {
    case Content::empty: break;
    case Content::addresses: answer = addresses(w, query, plan.addresses); break;
    case Content::negative:
      soa(w, names, plan.owner);
      authority = 1;
      break;
    case Content::referral:
      authority = ns_records(w, names, Owner::zone, delegation_ttl);
      additional = glue(w, names, Owner::zone, delegation_ttl);
      break;
    case Content::apex_soa:
      soa(w, names, plan.owner);
      answer = 1;
      break;
    case Content::apex_ns:
      answer = ns_records(w, names, plan.owner, zone_ttl);
      additional = glue(w, names, plan.owner, zone_ttl);
      break;
    case Content::server_address:
      w.pointer(12);
      {
        const std::size_t rd = w.record_head(type_a, zone_ttl);
        w.u32(names.server_address(plan.server));
        w.end_rdata(rd);
      }
      answer = 1;
      break;
  }
  if (query.edns) {  // OPT: UDP 1232, DO echoed
    w.u8(0);
    w.u16(41);
    w.u16(1232);
    w.u8(0);
    w.u8(0);
    w.u8(query.dnssec_ok ? 0x80 : 0);
    w.u8(0);
    w.u16(0);
    ++additional;
  }
  // QR, OPCODE 0, AA as planned, TC 0, RD copied; RA as planned, CD copied, the rcode.
  wire[2] = static_cast<std::uint8_t>(0x80 | (plan.authoritative ? 0x04 : 0) | (wire[2] & 0x01));
  wire[3] = static_cast<std::uint8_t>((plan.recursion_available ? 0x80 : 0) | (wire[3] & 0x10) | plan.rcode);
  put16(wire + 6, answer);
  put16(wire + 8, authority);
  put16(wire + 10, additional);
  return w.size();
}

}  // namespace mxsentry::farm
