#include "protocol/dns/dns_wire.h"

#include <cstring>

#include "protocol/dns/ldns_include.h"

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
      if (error) *error = "bad name '" + std::string(name) + "': " + (length == 0 ? "empty label" : "label longer than 63 octets");
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
    if (error) *error = "bad name '" + std::string(name) + "': longer than 255 octets";
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
      if (error) *error = "bad name '" + std::string(name) + "': control character (write it as \\DDD)";
      return false;
    }
    escapes |= c == '\\';
  }
  if (!escapes) return plain_name_to_wire(name, out, error);
  std::string text(name);
  ldns_rdf* rdf = nullptr;
  ldns_status status = ldns_str2rdf_dname(&rdf, text.c_str());
  if (status != LDNS_STATUS_OK || rdf == nullptr) {
    if (error) *error = std::string("bad name '") + text + "': " + ldns_get_errorstr_by_id(status);
    if (rdf) ldns_rdf_deep_free(rdf);
    return false;
  }
  out.assign(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf));
  ldns_rdf_deep_free(rdf);
  return true;
}

void append_name(std::string& out, std::string_view wire) {
  // Escapes as ldns does, so both spellings of a name compare equal as text.
  std::size_t pos = 0, before = out.size();
  while (pos < wire.size()) {
    auto len = static_cast<std::uint8_t>(wire[pos]);
    if (len == 0 || len > 63 || pos + 1 + len > wire.size()) break;
    for (std::size_t i = pos + 1; i <= pos + len; ++i) {
      auto c = static_cast<unsigned char>(wire[i]);
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
    pos += 1 + len;
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
  if (p.size() < header_size) return QuestionCheck::too_short;
  if ((p[2] & 0x80) == 0) return QuestionCheck::not_a_response;
  if (((p[2] >> 3) & 0x0f) != 0) return QuestionCheck::wrong_opcode;
  if (read_u16(&p[4]) == 0 && (p[3] & 0x0f) != 0 && read_u16(&p[6]) == 0 && read_u16(&p[8]) == 0 &&
      read_u16(&p[10]) <= 1)  // an OPT record at most
    return QuestionCheck::error_without_question;
  if (read_u16(&p[4]) != 1) return QuestionCheck::wrong_question_count;
  std::size_t pos = header_size;
  // The question name must be uncompressed: there is nothing before it a pointer could use.
  if (p.size() < pos + qname_wire.size() + 4) return QuestionCheck::too_short;
  for (std::size_t i = 0; i < qname_wire.size(); ++i) {
    if (lower(p[pos + i]) != lower(static_cast<unsigned char>(qname_wire[i])))
      return QuestionCheck::wrong_question;
  }
  pos += qname_wire.size();
  if (read_u16(&p[pos]) != qtype || read_u16(&p[pos + 2]) != class_in)
    return QuestionCheck::wrong_question;
  return QuestionCheck::match;
}

namespace {

constexpr int max_pointer_hops = 64;

// Checks the name at `pos` (following pointers, which must point strictly backwards) and
// returns the offset just after it in the record, or an error reason in `why`.
std::size_t walk_name(std::span<const std::uint8_t> p, std::size_t pos, std::string& why) {
  std::size_t end = 0;  // offset after the name in the record; set at the first pointer
  std::size_t total = 1;
  int hops = 0;
  std::size_t cursor = pos;
  while (true) {
    if (cursor >= p.size()) {
      why = "name runs past the end of the message";
      return 0;
    }
    std::uint8_t len = p[cursor];
    if ((len & 0xc0) == 0xc0) {
      if (cursor + 1 >= p.size()) {
        why = "compression pointer cut off";
        return 0;
      }
      std::size_t target = static_cast<std::size_t>(((len & 0x3f) << 8) | p[cursor + 1]);
      if (end == 0) end = cursor + 2;
      if (target >= cursor) {
        why = target == cursor ? "compression loop" : "forward compression pointer";
        return 0;
      }
      if (++hops > max_pointer_hops) {
        why = "too many compression pointers";
        return 0;
      }
      cursor = target;
      continue;
    }
    if ((len & 0xc0) != 0) {
      why = "unsupported label type";
      return 0;
    }
    if (len == 0) return end != 0 ? end : cursor + 1;
    total += len + 1;
    if (total > 255) {
      why = "name longer than 255 octets";
      return 0;
    }
    cursor += 1 + len;
  }
}

}  // namespace

std::string check_structure(std::span<const std::uint8_t> p) {
  if (p.size() < header_size) return "shorter than a DNS header";
  const std::uint16_t counts[4] = {read_u16(&p[4]), read_u16(&p[6]), read_u16(&p[8]),
                                   read_u16(&p[10])};
  static const char* section_names[4] = {"question", "answer", "authority", "additional"};
  std::size_t pos = header_size;
  int opt_records = 0;
  std::string why;
  for (int section = 0; section < 4; ++section) {
    for (unsigned i = 0; i < counts[section]; ++i) {
      pos = walk_name(p, pos, why);
      if (pos == 0) return std::string(section_names[section]) + " section: " + why;
      std::size_t fixed = section == 0 ? 4 : 10;
      if (pos + fixed > p.size())
        return std::string("truncated in the ") + section_names[section] + " section";
      if (section == 0) {
        pos += 4;
        continue;
      }
      std::uint16_t type = read_u16(&p[pos]);
      std::size_t rdlength = read_u16(&p[pos + 8]);
      pos += 10;
      if (pos + rdlength > p.size())
        return std::string("truncated in the ") + section_names[section] + " section";
      pos += rdlength;
      if (type == type_opt) {
        if (section != 3) return "OPT record outside the additional section";
        if (++opt_records > 1) return "more than one OPT record";
      }
    }
  }
  if (pos != p.size()) return std::to_string(p.size() - pos) + " trailing bytes after the last record";
  return {};
}

}  // namespace mxsentry::wire
