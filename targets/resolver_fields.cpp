#include "targets/resolver_fields.h"

#include <charconv>

namespace mxsentry {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string quoted(std::string_view label, std::string_view value) {
  return std::string(label) + " '" + std::string(value) + "'";
}

std::string set_kind(ResolverInfo& info, std::string_view value, std::string_view label) {
  std::string kind;
  for (char c : value) kind += lower(c);
  if (kind != "open" && kind != "isp") return "bad " + quoted(label, value) + " (expected open or isp)";
  info.kind = kind;
  return {};
}

std::string set_country(ResolverInfo& info, std::string_view value, std::string_view label) {
  if (value.size() != 2 || !is_letter(value[0]) || !is_letter(value[1]))
    return "bad " + quoted(label, value) + " (expected a two-letter ISO 3166 code such as DE)";
  info.country = {upper(value[0]), upper(value[1])};
  return {};
}

std::string set_asn(ResolverInfo& info, std::string_view value, std::string_view label) {
  std::string_view digits = value;
  if (digits.size() > 2 && lower(digits[0]) == 'a' && lower(digits[1]) == 's') digits.remove_prefix(2);
  std::uint32_t asn = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), asn);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    return "bad " + quoted(label, value) + " (expected an AS number such as 3320 or AS3320)";
  info.asn = asn;
  return {};
}

// Names and organisations end up in tables and JSON lines: no raw control characters.
std::string set_text(std::string& field, std::string_view value, std::string_view label) {
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return "control character in " + std::string(label);
  field = std::string(value);
  return {};
}

}  // namespace

std::optional<ResolverField> resolver_tag(std::string_view key) {
  if (key == "kind") return ResolverField::kind;
  if (key == "country") return ResolverField::country;
  if (key == "asn") return ResolverField::asn;
  if (key == "as_org") return ResolverField::as_org;
  if (key == "name") return ResolverField::name;
  return std::nullopt;
}

std::string set_resolver_field(ResolverInfo& info, ResolverField field, std::string_view value,
                               std::string_view label) {
  if (value.empty()) return {};
  switch (field) {
    case ResolverField::kind: return set_kind(info, value, label);
    case ResolverField::country: return set_country(info, value, label);
    case ResolverField::asn: return set_asn(info, value, label);
    case ResolverField::as_org: return set_text(info.as_org, value, label);
    case ResolverField::name: return set_text(info.name, value, label);
  }
  return {};
}

}  // namespace mxsentry
