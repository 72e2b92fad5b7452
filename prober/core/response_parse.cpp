#include "prober/core/response_parse.h"

#include <charconv>
#include <memory>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"
#include "protocol/dns/wire_cursor.h"
#include "protocol/dns/wire_name.h"

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

void fill_record(ResourceRecord& out, const ldns_rr* rr, bool with_rdata) {
  out.name.clear();
  out.rdata.clear();
  append_rdf(out.name, ldns_rr_owner(rr));
  out.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr));
  out.ttl = wire::ttl_from_wire(ldns_rr_ttl(rr));
  if (with_rdata) {
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
      if (i) out.rdata += ' ';
      append_rdf(out.rdata, ldns_rr_rdf(rr, i));
    }
  }
}

// The next record of `records`, reusing one left from an earlier response when there is one.
ResourceRecord& next_record(std::vector<ResourceRecord>& records, std::size_t& used) {
  if (used == records.size()) records.emplace_back();
  return records[used++];
}


// ---- without ldns ---------------------------------------------------------------------------
//
// ldns_wire2pkt reads each record's rdata field by field as the type's descriptor says, not by
// RDLENGTH: rdata longer or shorter than its fields shifts every record after it, unknown types
// read nothing, and names may run past the rdata. The fast path therefore takes a message only
// when every record in every section is of a type modelled here and its fields fill RDLENGTH
// exactly, every name is one wire::read_name accepts (stricter than ldns: pointers strictly
// backwards and never into the header), so that ldns would read the very same records; then
// the text is made by the same functions as on the ldns path. Anything else: ldns decides.

// Whether the rdata at `rdata` (ending at `end`) holds exactly the fields of `type`, for the
// types the fast path models besides OPT; the name of NS, CNAME, PTR, DNAME and MX goes to
// `target`. The names may point anywhere before them, so the cursor spans the whole message.
bool rdata_is_exact(std::span<const std::uint8_t> p, std::size_t rdata, std::size_t end, std::uint16_t type,
                    int section, wire::WireName& target) {
  wire::WireCursor fields(p, rdata);
  switch (type) {
    case LDNS_RR_TYPE_A:
      return end - rdata == 4;
    case LDNS_RR_TYPE_AAAA:
      return end - rdata == 16;
    case LDNS_RR_TYPE_NS:
    case LDNS_RR_TYPE_CNAME:
    case LDNS_RR_TYPE_PTR:
    case LDNS_RR_TYPE_DNAME:
      wire::read_name(fields, &target);
      break;
    case LDNS_RR_TYPE_MX:
      fields.skip(2);  // preference
      wire::read_name(fields, &target);
      break;
    case LDNS_RR_TYPE_SOA:
      if (section != 2) return false;  // answer SOAs would need their rdata text
      wire::skip_name(fields);
      wire::skip_name(fields);
      fields.skip(20);  // serial, refresh, retry, expire, minimum
      break;
    default:
      return false;
  }
  return fields.ok() && fields.position() == end;
}

void append_u16(std::string& out, std::uint16_t v) {
  char buf[8];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace

namespace detail {

bool parse_response_fast(std::span<const std::uint8_t> p, ParsedResponse& out) {
  wire::WireCursor in(p);
  in.skip(2);  // ID
  const std::uint16_t flags = in.read_u16();
  const std::uint16_t counts[4] = {in.read_u16(), in.read_u16(), in.read_u16(), in.read_u16()};
  if (!in.ok()) return false;
  wire::WireName name;
  wire::WireName target;
  for (unsigned i = 0; i < counts[0]; ++i) {
    if (wire::skip_name(in) != wire::NameError::none) return false;
    in.skip(4);  // type, class
  }
  std::size_t answers = 0, authority = 0;
  bool have_edns = false;
  std::uint32_t edns_ttl = 0;
  std::uint16_t edns_size = 0;
  for (int section = 1; section < 4; ++section) {
    for (unsigned i = 0; i < counts[section]; ++i) {
      wire::read_name(in, &name);
      const std::uint16_t type = in.read_u16();
      const std::uint16_t rclass = in.read_u16();
      const std::uint32_t ttl = in.read_u32();
      const std::uint16_t rdlength = in.read_u16();
      const std::size_t rdata = in.position();
      in.skip(rdlength);
      if (!in.ok()) return false;
      const std::size_t end = in.position();
      if (type == LDNS_RR_TYPE_OPT) {
        if (section != 3 || have_edns) return false;
        have_edns = true;
        edns_ttl = ttl;
        edns_size = rclass;
      } else if (!rdata_is_exact(p, rdata, end, type, section, target)) {
        return false;
      }
      if (section == 1) {
        ResourceRecord& r = next_record(out.answers, answers);
        r.name.clear();
        r.rdata.clear();
        wire::append_name(r.name, name.view());
        r.type = type;
        r.ttl = wire::ttl_from_wire(ttl);
        switch (type) {
          case LDNS_RR_TYPE_A:
            for (std::size_t k = 0; k < 4; ++k) {
              if (k) r.rdata += '.';
              append_octet(r.rdata, p[rdata + k]);
            }
            break;
          case LDNS_RR_TYPE_AAAA: {
            char text[INET6_ADDRSTRLEN];
            if (inet_ntop(AF_INET6, &p[rdata], text, sizeof text)) r.rdata += text;
            break;
          }
          case LDNS_RR_TYPE_MX:
            append_u16(r.rdata, wire::WireCursor(p, rdata).read_u16());
            r.rdata += ' ';
            wire::append_name(r.rdata, target.view());
            break;
          default:  // the name types
            wire::append_name(r.rdata, target.view());
            break;
        }
      } else if (section == 2) {
        ResourceRecord& r = next_record(out.authority, authority);
        r.name.clear();
        r.rdata.clear();
        wire::append_name(r.name, name.view());
        r.type = type;
        r.ttl = wire::ttl_from_wire(ttl);
      }
    }
  }
  const std::uint8_t ext_rcode = have_edns ? static_cast<std::uint8_t>(edns_ttl >> 24) : 0;
  out.rcode = (flags & 0x000f) | (ext_rcode << 4);
  out.flags.aa = (flags & 0x0400) != 0;
  out.flags.tc = (flags & 0x0200) != 0;
  out.flags.rd = (flags & 0x0100) != 0;
  out.flags.ra = (flags & 0x0080) != 0;
  out.flags.ad = (flags & 0x0020) != 0;
  out.flags.cd = (flags & 0x0010) != 0;
  out.answers.resize(answers);
  out.rrsigs.clear();
  out.authority.resize(authority);
  out.edns = Edns{};
  out.edns.present = have_edns;
  if (have_edns) {
    out.edns.udp_size = edns_size;
    out.edns.version = static_cast<std::uint8_t>(edns_ttl >> 16);
    out.edns.do_bit = (edns_ttl & 0x8000) != 0;
  }
  return true;
}

bool parse_response_ldns(std::span<const std::uint8_t> packet, ParsedResponse& out, std::string* error) {
  ldns_pkt* raw = nullptr;
  ldns_status status = ldns_wire2pkt(&raw, packet.data(), packet.size());
  std::unique_ptr<ldns_pkt, PacketDeleter> pkt(raw);
  if (status != LDNS_STATUS_OK || !pkt) {
    if (error) *error = ldns_get_errorstr_by_id(status);
    return false;
  }
  out.rcode = ldns_pkt_get_rcode(pkt.get()) | (ldns_pkt_edns_extended_rcode(pkt.get()) << 4);
  out.flags.aa = ldns_pkt_aa(pkt.get());
  out.flags.tc = ldns_pkt_tc(pkt.get());
  out.flags.rd = ldns_pkt_rd(pkt.get());
  out.flags.ra = ldns_pkt_ra(pkt.get());
  out.flags.ad = ldns_pkt_ad(pkt.get());
  out.flags.cd = ldns_pkt_cd(pkt.get());
  std::size_t answers = 0, rrsigs = 0, authority = 0;
  const ldns_rr_list* answer = ldns_pkt_answer(pkt.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(answer, i);
    if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
      fill_record(next_record(out.rrsigs, rrsigs), rr, true);
    else
      fill_record(next_record(out.answers, answers), rr, true);
  }
  const ldns_rr_list* auth = ldns_pkt_authority(pkt.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(auth); ++i)
    fill_record(next_record(out.authority, authority), ldns_rr_list_rr(auth, i), false);
  out.answers.resize(answers);
  out.rrsigs.resize(rrsigs);
  out.authority.resize(authority);
  out.edns = Edns{};
  out.edns.present = ldns_pkt_edns(pkt.get());
  if (out.edns.present) {
    out.edns.udp_size = ldns_pkt_edns_udp_size(pkt.get());
    out.edns.version = ldns_pkt_edns_version(pkt.get());
    out.edns.do_bit = ldns_pkt_edns_do(pkt.get());
  }
  return true;
}

}  // namespace detail

bool parse_response(std::span<const std::uint8_t> packet, ParsedResponse& out, std::string* error) {
  if (detail::parse_response_fast(packet, out)) return true;
  return detail::parse_response_ldns(packet, out, error);
}

std::optional<ParsedResponse> parse_response(std::span<const std::uint8_t> packet, std::string* error) {
  ParsedResponse out;
  if (!parse_response(packet, out, error)) return std::nullopt;
  return out;
}

}  // namespace mxsentry
