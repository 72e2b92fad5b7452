#include "results/dnstap_message.h"

#include <memory>
#include <string>
#include <string_view>

#include "protocol/dns/codes.h"
#include "protocol/dns/ldns_include.h"

namespace mxsentry {

namespace {

// What every mxsentry query carries (prober/core/query_engine.h's EngineConfig defaults).
constexpr std::uint16_t query_udp_size = 1232;
constexpr bool query_dnssec_ok = true;

struct PacketFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using Packet = std::unique_ptr<ldns_pkt, PacketFree>;

Packet new_packet(const Observation& o) {
  Packet pkt(ldns_pkt_new());
  if (!pkt) return pkt;
  ldns_pkt_set_id(pkt.get(), 0);
  ldns_pkt_set_opcode(pkt.get(), LDNS_PACKET_QUERY);
  ldns_rdf* owner = ldns_dname_new_frm_str(o.qname.c_str());
  if (owner == nullptr) return nullptr;  // a name ldns cannot read: no message at all
  ldns_rr* question = ldns_rr_new();
  ldns_rr_set_owner(question, owner);
  ldns_rr_set_type(question, static_cast<ldns_rr_type>(o.qtype));
  ldns_rr_set_class(question, LDNS_RR_CLASS_IN);
  ldns_rr_set_question(question, true);
  ldns_pkt_push_rr(pkt.get(), LDNS_SECTION_QUESTION, question);
  return pkt;
}

bool simple_field(ldns_rdf_type type) {
  return type == LDNS_RDF_TYPE_A || type == LDNS_RDF_TYPE_AAAA || type == LDNS_RDF_TYPE_DNAME ||
         type == LDNS_RDF_TYPE_INT8 || type == LDNS_RDF_TYPE_INT16 || type == LDNS_RDF_TYPE_INT32;
}

// A record whose fields are all addresses, names or numbers (A, AAAA, NS, CNAME, PTR, DNAME,
// MX, ...) built field by field: ldns_rr_new_frm_str takes and frees 64 KiB buffers for every
// record, which the allocator hands back to the system each time. nullptr for anything else.
ldns_rr* record_from_fields(const ResourceRecord& r) {
  const ldns_rr_descriptor* d = ldns_rr_descript(r.type);
  if (d == nullptr) return nullptr;
  const std::size_t fields = ldns_rr_descriptor_maximum(d);
  if (fields == 0 || fields > 4 || ldns_rr_descriptor_minimum(d) != fields) return nullptr;
  std::string_view rest = r.rdata;
  std::string_view tokens[4];
  for (std::size_t i = 0; i < fields; ++i) {
    if (!simple_field(ldns_rr_descriptor_field_type(d, i))) return nullptr;
    auto space = rest.find(' ');
    tokens[i] = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (tokens[i].empty()) return nullptr;
  }
  if (!rest.empty()) return nullptr;
  ldns_rdf* owner = ldns_dname_new_frm_str(r.name.c_str());
  if (owner == nullptr) return nullptr;
  ldns_rr* rr = ldns_rr_new();
  ldns_rr_set_owner(rr, owner);
  ldns_rr_set_ttl(rr, r.ttl);
  ldns_rr_set_type(rr, static_cast<ldns_rr_type>(r.type));
  ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
  std::string token;
  for (std::size_t i = 0; i < fields; ++i) {
    token.assign(tokens[i]);
    ldns_rdf* field = ldns_rdf_new_frm_str(ldns_rr_descriptor_field_type(d, i), token.c_str());
    if (field == nullptr) {
      ldns_rr_free(rr);
      return nullptr;
    }
    ldns_rr_push_rdf(rr, field);
  }
  return rr;
}

// Adds records to the answer section from their presentation form; returns how many ldns
// could not read.
int push_answers(ldns_pkt* pkt, const std::vector<ResourceRecord>& records) {
  int dropped = 0;
  std::string text;
  for (const auto& r : records) {
    if (ldns_rr* rr = record_from_fields(r)) {
      ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
      continue;
    }
    text.assign(r.name);
    text += ' ';
    text += std::to_string(r.ttl);
    text += " IN ";
    append_rr_type_name(text, r.type);
    text += ' ';
    text += r.rdata;
    ldns_rr* rr = nullptr;
    if (ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK || rr == nullptr) {
      ++dropped;
      continue;
    }
    ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
  }
  return dropped;
}

void set_edns(ldns_pkt* pkt, std::uint16_t udp_size, std::uint8_t version, bool do_bit, int rcode) {
  ldns_pkt_set_edns_udp_size(pkt, udp_size);
  ldns_pkt_set_edns_version(pkt, version);
  ldns_pkt_set_edns_do(pkt, do_bit);
  ldns_pkt_set_edns_extended_rcode(pkt, static_cast<std::uint8_t>(rcode >> 4));
}

struct BufferFree {
  void operator()(ldns_buffer* b) const { ldns_buffer_free(b); }
};

RebuiltMessage to_wire(ldns_pkt* pkt, int dropped) {
  // One buffer of the largest message size for the thread: ldns_pkt2wire takes and frees
  // 64 KiB for each message, which the allocator gives back to the system every time (three
  // system calls per observation, a third of an export's time).
  thread_local std::unique_ptr<ldns_buffer, BufferFree> buffer(ldns_buffer_new(LDNS_MAX_PACKETLEN));
  RebuiltMessage out;
  out.dropped = dropped;
  if (!buffer) return out;
  ldns_buffer_clear(buffer.get());
  if (ldns_pkt2buffer_wire(buffer.get(), pkt) == LDNS_STATUS_OK) {
    const std::uint8_t* begin = ldns_buffer_begin(buffer.get());
    out.wire.assign(begin, begin + ldns_buffer_position(buffer.get()));
  }
  return out;
}

}  // namespace

RebuiltMessage rebuild_query(const Observation& o) {
  Packet pkt = new_packet(o);
  if (!pkt) return {};
  ldns_pkt_set_rd(pkt.get(), true);
  set_edns(pkt.get(), query_udp_size, 0, query_dnssec_ok, 0);
  return to_wire(pkt.get(), 0);
}

RebuiltMessage rebuild_response(const Observation& o) {
  if (o.outcome != Outcome::answer || o.rcode < 0) return {};
  Packet pkt = new_packet(o);
  if (!pkt) return {};
  ldns_pkt* p = pkt.get();
  ldns_pkt_set_qr(p, true);
  ldns_pkt_set_aa(p, o.flags.aa);
  ldns_pkt_set_tc(p, o.flags.tc);
  ldns_pkt_set_rd(p, o.flags.rd);
  ldns_pkt_set_ra(p, o.flags.ra);
  ldns_pkt_set_ad(p, o.flags.ad);
  ldns_pkt_set_cd(p, o.flags.cd);
  ldns_pkt_set_rcode(p, static_cast<std::uint8_t>(o.rcode & 0x0f));
  if (o.edns.present) set_edns(p, o.edns.udp_size, o.edns.version, o.edns.do_bit, o.rcode);
  int dropped = push_answers(p, o.answers) + push_answers(p, o.rrsigs);
  return to_wire(p, dropped);
}

RebuiltMessage rebuild_extra_response(const Observation& o, const ExtraResponse& extra) {
  Packet pkt = new_packet(o);
  if (!pkt) return {};
  ldns_pkt* p = pkt.get();
  ldns_pkt_set_qr(p, true);
  ldns_pkt_set_rd(p, true);
  ldns_pkt_set_rcode(p, static_cast<std::uint8_t>(extra.rcode & 0x0f));
  int dropped = push_answers(p, extra.answers);
  return to_wire(p, dropped);
}

}  // namespace mxsentry
