#include "prober/core/response_parse.h"

#include <charconv>
#include <memory>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "prober/core/dns_wire.h"
#include "prober/core/ldns_include.h"

namespace mxsentry {

namespace {

struct PacketDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct BufferDeleter {
  void operator()(ldns_buffer* b) const { ldns_buffer_free(b); }
};

// One formatting buffer per thread: ldns_rdf2buffer_str appends, so it is cleared per field.
ldns_buffer* scratch() {
  thread_local std::unique_ptr<ldns_buffer, BufferDeleter> buffer(ldns_buffer_new(256));
  return buffer.get();
}

void append_octet(std::string& out, unsigned value) {
  char digits[3];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 3);
  while (n > 0) out += digits[--n];
}

void append_rdf(std::string& out, const ldns_rdf* rdf) {
  // Names and addresses, nearly all the text a probe writes, are formatted here: ldns's
  // printf-based formatting costs more than parsing the whole message.
  const auto* data = ldns_rdf_data(rdf);
  const std::size_t size = ldns_rdf_size(rdf);
  switch (ldns_rdf_get_type(rdf)) {
    case LDNS_RDF_TYPE_DNAME:
      wire::append_name(out, std::string_view(reinterpret_cast<const char*>(data), size));
      return;
    case LDNS_RDF_TYPE_A:
      if (size == 4) {
        for (int i = 0; i < 4; ++i) {
          if (i) out += '.';
          append_octet(out, data[i]);
        }
        return;
      }
      break;
    case LDNS_RDF_TYPE_AAAA:
      if (size == 16) {
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, data, text, sizeof text)) out += text;
        return;
      }
      break;
    default:
      break;
  }
  ldns_buffer* b = scratch();
  ldns_buffer_clear(b);
  if (ldns_rdf2buffer_str(b, rdf) != LDNS_STATUS_OK) return;
  out.append(reinterpret_cast<const char*>(ldns_buffer_begin(b)), ldns_buffer_position(b));
}

ResourceRecord to_record(const ldns_rr* rr, bool with_rdata) {
  ResourceRecord out;
  append_rdf(out.name, ldns_rr_owner(rr));
  out.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr));
  out.ttl = ldns_rr_ttl(rr);
  if (with_rdata) {
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
      if (i) out.rdata += ' ';
      append_rdf(out.rdata, ldns_rr_rdf(rr, i));
    }
  }
  return out;
}

}  // namespace

std::optional<ParsedResponse> parse_response(std::span<const std::uint8_t> packet, std::string* error) {
  ldns_pkt* raw = nullptr;
  ldns_status status = ldns_wire2pkt(&raw, packet.data(), packet.size());
  std::unique_ptr<ldns_pkt, PacketDeleter> pkt(raw);
  if (status != LDNS_STATUS_OK || !pkt) {
    if (error) *error = ldns_get_errorstr_by_id(status);
    return std::nullopt;
  }
  ParsedResponse out;
  out.rcode = ldns_pkt_get_rcode(pkt.get()) | (ldns_pkt_edns_extended_rcode(pkt.get()) << 4);
  out.flags.aa = ldns_pkt_aa(pkt.get());
  out.flags.tc = ldns_pkt_tc(pkt.get());
  out.flags.rd = ldns_pkt_rd(pkt.get());
  out.flags.ra = ldns_pkt_ra(pkt.get());
  out.flags.ad = ldns_pkt_ad(pkt.get());
  out.flags.cd = ldns_pkt_cd(pkt.get());
  const ldns_rr_list* answer = ldns_pkt_answer(pkt.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(answer, i);
    auto& into = ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG ? out.rrsigs : out.answers;
    into.push_back(to_record(rr, true));
  }
  const ldns_rr_list* authority = ldns_pkt_authority(pkt.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(authority); ++i)
    out.authority.push_back(to_record(ldns_rr_list_rr(authority, i), false));
  out.edns.present = ldns_pkt_edns(pkt.get());
  if (out.edns.present) {
    out.edns.udp_size = ldns_pkt_edns_udp_size(pkt.get());
    out.edns.version = ldns_pkt_edns_version(pkt.get());
    out.edns.do_bit = ldns_pkt_edns_do(pkt.get());
  }
  return out;
}

namespace {

const char* known_rr_type_name(std::uint16_t type) {
  switch (type) {  // the hot ones without a lookup
    case LDNS_RR_TYPE_A: return "A";
    case LDNS_RR_TYPE_AAAA: return "AAAA";
    case LDNS_RR_TYPE_CNAME: return "CNAME";
    case LDNS_RR_TYPE_MX: return "MX";
    case LDNS_RR_TYPE_NS: return "NS";
    default: break;
  }
  switch (type) {  // query-only types, absent from ldns's descriptor table
    case 251: return "IXFR";
    case 252: return "AXFR";
    case 253: return "MAILB";
    case 254: return "MAILA";
    case 255: return "ANY";
    default: break;
  }
  const ldns_rr_descriptor* d = ldns_rr_descript(type);
  return d != nullptr ? d->_name : nullptr;
}

}  // namespace

void append_rr_type_name(std::string& out, std::uint16_t type) {
  if (const char* name = known_rr_type_name(type)) {
    out += name;
  } else {
    out += "TYPE";
    out += std::to_string(type);
  }
}

std::string rr_type_name(std::uint16_t type) {
  std::string out;
  append_rr_type_name(out, type);
  return out;
}

std::optional<std::uint16_t> rr_type_from_name(std::string_view name) {
  // RFC 3597 TYPEnnn is parsed here: ldns wraps numbers above 65535 around.
  auto is_type_prefix = [](std::string_view p) {
    const char* want = "type";
    for (int i = 0; i < 4; ++i)
      if ((p[i] | 0x20) != want[i]) return false;
    return true;
  };
  if (name.size() > 4 && is_type_prefix(name)) {
    unsigned value = 0;
    auto digits = name.substr(4);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535)
      return std::nullopt;
    return static_cast<std::uint16_t>(value);
  }
  std::string text(name);
  ldns_rr_type type = ldns_get_rr_type_by_name(text.c_str());
  if (type == 0) return std::nullopt;
  return static_cast<std::uint16_t>(type);
}

}  // namespace mxsentry
