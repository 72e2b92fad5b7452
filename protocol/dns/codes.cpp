#include "protocol/dns/codes.h"

#include <charconv>

#include "protocol/dns/ldns_include.h"

namespace mxsentry {

std::string rcode_name(int rcode) {
  static const char* names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
  if (rcode >= 0 && rcode < static_cast<int>(std::size(names))) return names[rcode];
  if (rcode == 16) return "BADVERS";
  return "RCODE" + std::to_string(rcode);
}

std::optional<int> rcode_from_name(std::string_view name) {
  for (int rcode = 0; rcode <= 16; ++rcode)
    if (rcode_name(rcode) == name) return rcode;
  if (name.size() > 5 && name.substr(0, 5) == "RCODE") {
    int rcode = 0;
    auto [end, ec] = std::from_chars(name.data() + 5, name.data() + name.size(), rcode);
    // Only the spelling rcode_name gives it: no "RCODE3" for NXDOMAIN, no leading zeros.
    if (ec == std::errc() && end == name.data() + name.size() && rcode_name(rcode) == name) return rcode;
  }
  return std::nullopt;
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
