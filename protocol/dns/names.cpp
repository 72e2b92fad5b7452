#include "protocol/dns/names.h"

#include <algorithm>

#include "protocol/dns/dns_wire.h"

namespace mxsentry {

namespace {

bool is_name_character(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string check_label(std::string_view label) {
  if (label.empty()) return "empty label";
  if (label.size() > 63) return "label longer than 63 octets";
  for (unsigned char c : label) {
    if (c >= 0x80) return "non-ASCII character (write an internationalised name in its xn-- form)";
    if (c < 0x20 || c == 0x7f) return "control character";
    if (!is_name_character(c)) return std::string("character '") + static_cast<char>(c) + "' not allowed";
  }
  if (label.front() == '-' || label.back() == '-') return "label '" + std::string(label) + "' starts or ends with '-'";
  return {};
}

}  // namespace

std::string canonical_domain(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 1);
  for (char c : name) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (out.empty() || out.back() != '.') out += '.';
  return out;
}

std::optional<std::string> parse_domain(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<std::string> {
    if (error) *error = "bad domain '" + std::string(text) + "': " + why;
    return std::nullopt;
  };
  if (text.empty()) return fail("empty name");
  if (text == ".") return fail("the root is not a mail domain");
  std::string_view name = text.back() == '.' ? text.substr(0, text.size() - 1) : text;
  std::size_t wire_length = 1;  // the root label
  while (true) {
    auto dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (auto why = check_label(label); !why.empty()) return fail(why);
    wire_length += label.size() + 1;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  if (wire_length > 255) return fail("longer than 255 octets");
  return canonical_domain(text);
}

std::string canonical_name(std::string_view name) {
  std::string out = canonical_domain(name);  // one spelling of "canonical" for the whole project
  return out == ".." ? "." : out;
}

std::string canonical_name(const ldns_rdf* dname) {
  std::string text;
  wire::append_name(text, std::string_view(reinterpret_cast<const char*>(ldns_rdf_data(dname)), ldns_rdf_size(dname)));
  return canonical_name(text);
}

bool in_zone(const std::string& name, const std::string& zone) {
  if (zone == ".") return true;
  if (name.size() < zone.size()) return false;
  if (name.size() == zone.size()) return name == zone;
  return name.compare(name.size() - zone.size(), zone.size(), zone) == 0 && name[name.size() - zone.size() - 1] == '.';
}

std::size_t label_count(const std::string& name) {
  if (name == ".") return 0;
  return static_cast<std::size_t>(std::count(name.begin(), name.end(), '.'));
}

}  // namespace mxsentry
