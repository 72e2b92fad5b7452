#include "protocol/dns/dns_wire.h"

#include <cstring>

#include "protocol/dns/ldns_include.h"
#include "protocol/dns/shown_text.h"
#include "protocol/dns/wire_cursor.h"

namespace mxsentry::wire {

namespace {

// The common case, a name of plain characters, without ldns: every probe converts a name once
// and ldns_str2rdf_dname costs more than the rest of building the query. Names with escapes
// take the ldns path.
bool plain_name_to_wire(std::string_view name, std::string& out, std::string* error) {
  out.clear();
  if (name == ".") {
    out.assign(1, '\0');
    return true;
  }
  out.resize(name.size() + 2);
  char* w = out.data();
  const char* c = name.data();
  const std::size_t size = name.size() - (name.back() == '.' ? 1 : 0);  // without the final dot
  std::size_t n = 0, i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < size && c[i] != '.') ++i;
    const std::size_t length = i - start;
    if (length == 0 || length > 63) {
      out.clear();
      if (error) *error = "bad name " + shown_text(name) + ": " + (length == 0 ? "empty label" : "label longer than 63 octets");
      return false;
    }
    w[n] = static_cast<char>(length);
    std::memcpy(w + n + 1, c + start, length);
    n += 1 + length;
    if (i >= size) break;
    ++i;  // the dot
  }
  w[n++] = '\0';
  out.resize(n);
  if (out.size() > 255) {
    if (error) *error = "bad name " + shown_text(name) + ": longer than 255 octets";
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> name_to_wire(std::string_view name, std::string* error) {
  std::string out;
  if (!name_to_wire(name, out, error)) return std::nullopt;
  return out;
}

bool name_to_wire(std::string_view name, std::string& out, std::string* error) {
  if (name.empty()) {
    if (error) *error = "empty name";
    return false;
  }
  // Presentation format has no raw control bytes; a NUL would also cut the name short on the
  // way into ldns. Such bytes are written as \DDD.
  bool escapes = false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      if (error) *error = "bad name " + shown_text(name) + ": control character (write it as \\DDD)";
      return false;
    }
    escapes |= c == '\\';
  }
  if (!escapes) return plain_name_to_wire(name, out, error);
  std::string text(name);
  ldns_rdf* rdf = nullptr;
  ldns_status status = ldns_str2rdf_dname(&rdf, text.c_str());
  if (status != LDNS_STATUS_OK || rdf == nullptr) {
    if (error) *error = "bad name " + shown_text(text) + ": " + ldns_get_errorstr_by_id(status);
    if (rdf) ldns_rdf_deep_free(rdf);
    return false;
  }
  out.assign(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf));
  ldns_rdf_deep_free(rdf);
  return true;
}

void append_name(std::string& out, std::string_view wire) {
  // Escapes as ldns does, so both spellings of a name compare equal as text.
  WireCursor in(std::span(reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size()));
  const std::size_t before = out.size();
  while (true) {
    const std::uint8_t length = in.read_u8();
    if (length == 0 || length > max_label_octets) break;  // the root, a pointer or the end
    const std::span<const std::uint8_t> label = in.read_bytes(length);
    if (!in.ok()) break;
    for (const unsigned char c : label) {
      if (c == '.' || c == ';' || c == '(' || c == ')' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c <= 0x20 || c >= 0x7f) {
        char buf[4] = {'\\', static_cast<char>('0' + c / 100), static_cast<char>('0' + c / 10 % 10),
                       static_cast<char>('0' + c % 10)};
        out.append(buf, 4);
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '.';
  }
  if (out.size() == before) out += '.';
}

std::string wire_to_name(std::string_view wire) {
  std::string out;
  append_name(out, wire);
  return out;
}

void build_query(std::string_view qname_wire, const QueryFields& f, std::vector<std::uint8_t>& out) {
  out.resize(header_size + qname_wire.size() + 4 + (f.edns ? 11 : 0));
  std::uint8_t* p = out.data();
  auto put16 = [&p](std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
    p += 2;
  };
  put16(f.id);
  put16(f.recursion_desired ? 0x0100 : 0x0000);  // QR=0, opcode QUERY, RD as asked
  put16(1);                                       // QDCOUNT
  put16(0);                                       // ANCOUNT
  put16(0);                                       // NSCOUNT
  put16(f.edns ? 1 : 0);                          // ARCOUNT
  std::memcpy(p, qname_wire.data(), qname_wire.size());
  p += qname_wire.size();
  put16(f.qtype);
  put16(class_in);
  if (f.edns) {
    *p++ = 0;  // root owner name
    put16(type_opt);
    put16(f.udp_size);
    put16(0);                                // extended RCODE, version 0
    put16(f.dnssec_ok ? 0x8000 : 0x0000);  // DO bit
    put16(0);                                // no options
  }
}

const char* to_string(QuestionCheck check) {
  switch (check) {
    case QuestionCheck::match: return "match";
    case QuestionCheck::error_without_question: return "error without question";
    case QuestionCheck::too_short: return "truncated in header or question";
    case QuestionCheck::not_a_response: return "QR bit not set";
    case QuestionCheck::wrong_opcode: return "opcode is not QUERY";
    case QuestionCheck::wrong_question_count: return "question count is not 1";
    case QuestionCheck::wrong_question: return "question differs";
  }
  return "unknown";
}

namespace {

unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

}  // namespace

QuestionCheck check_question(std::span<const std::uint8_t> p, std::string_view qname_wire,
                             std::uint16_t qtype) {
  WireCursor in(p);
  in.skip(2);  // ID, matched by the caller
  const std::uint16_t flags = in.read_u16();
  const std::uint16_t qdcount = in.read_u16(), ancount = in.read_u16(), nscount = in.read_u16(),
                      arcount = in.read_u16();
  if (!in.ok()) return QuestionCheck::too_short;
  if ((flags & 0x8000) == 0) return QuestionCheck::not_a_response;
  if (((flags >> 11) & 0x0f) != 0) return QuestionCheck::wrong_opcode;
  if (qdcount == 0 && (flags & 0x000f) != 0 && ancount == 0 && nscount == 0 && arcount <= 1)  // an OPT at most
    return QuestionCheck::error_without_question;
  if (qdcount != 1) return QuestionCheck::wrong_question_count;
  // The question name must be uncompressed: there is nothing before it a pointer could use.
  const std::span<const std::uint8_t> qname = in.read_bytes(qname_wire.size());
  const std::uint16_t type = in.read_u16(), qclass = in.read_u16();
  if (!in.ok()) return QuestionCheck::too_short;
  for (std::size_t i = 0; i < qname_wire.size(); ++i) {
    if (lower(qname[i]) != lower(static_cast<unsigned char>(qname_wire[i]))) return QuestionCheck::wrong_question;
  }
  if (type != qtype || qclass != class_in) return QuestionCheck::wrong_question;
  return QuestionCheck::match;
}

std::string check_structure(std::span<const std::uint8_t> p) {
  WireCursor in(p);
  in.skip(4);  // ID and flags
  const std::uint16_t counts[4] = {in.read_u16(), in.read_u16(), in.read_u16(), in.read_u16()};
  if (!in.ok()) return "shorter than a DNS header";
  static const char* section_names[4] = {"question", "answer", "authority", "additional"};
  int opt_records = 0;
  for (int section = 0; section < 4; ++section) {
    for (unsigned i = 0; i < counts[section]; ++i) {
      if (const NameError error = skip_name(in); error != NameError::none)
        return std::string(section_names[section]) + " section: " + to_string(error);
      const std::uint16_t type = in.read_u16();
      in.skip(2);  // class
      if (section != 0) {
        in.skip(4);  // TTL
        in.skip(in.read_u16());
      }
      if (!in.ok()) return std::string("truncated in the ") + section_names[section] + " section";
      if (section != 0 && type == type_opt) {
        if (section != 3) return "OPT record outside the additional section";
        if (++opt_records > 1) return "more than one OPT record";
      }
    }
  }
  if (in.remaining() != 0) return std::to_string(in.remaining()) + " trailing bytes after the last record";
  return {};
}

}  // namespace mxsentry::wire
