#include "tests/tools/farm_zone.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "tests/tools/farm_random.hpp"

namespace mxsentry::farm {

namespace {

// First octets of the truth's prefixes and of the forgers': public space, none of it in a
// special-purpose block (which would add `bogon` evidence the test does not mean to give).
constexpr std::array<std::uint8_t, 5> true_first_octets{20, 23, 34, 44, 52};
constexpr std::array<std::uint8_t, 3> forged_first_octets{185, 193, 195};

// Hosts within a /24: the truth uses 1..127, CDN pools 200..249, so they never meet.
constexpr std::uint32_t cdn_first_host = 200, cdn_pool = 50;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `text` in any case equals `lower_case`.
bool same_lower(std::string_view text, std::string_view lower_case) {
  return text.size() == lower_case.size() &&
         std::equal(text.begin(), text.end(), lower_case.begin(), [](char a, char b) { return lower(a) == b; });
}

// Decimal digits, one spelling per number (no leading zero), below `limit`.
std::optional<std::uint32_t> parse_index(std::string_view digits, std::uint32_t limit) {
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  std::uint32_t index = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc{} || end != digits.data() + digits.size() || index >= limit) return std::nullopt;
  return index;
}

std::uint32_t prefix24(std::uint64_t h) {
  const std::uint32_t first = true_first_octets[h % true_first_octets.size()];
  return first << 24 | static_cast<std::uint32_t>((h >> 8) & 0xffff) << 8;
}

Ipv6 prefix48(std::uint64_t h) {
  Ipv6 a{};
  a[0] = 0x2a;
  a[1] = static_cast<std::uint8_t>(0x00 + (h % 16));  // 2a00::/12, public
  a[2] = static_cast<std::uint8_t>(h >> 24);
  a[3] = static_cast<std::uint8_t>(h >> 32);
  a[4] = static_cast<std::uint8_t>(h >> 40);
  a[5] = static_cast<std::uint8_t>(h >> 48);
  return a;
}

Ipv6 with_host(Ipv6 prefix, std::uint32_t host) {
  prefix[14] = static_cast<std::uint8_t>(host >> 8);
  prefix[15] = static_cast<std::uint8_t>(host);
  return prefix;
}

// The set drawn from hash `h`: 1-3 A records, 1-2 AAAA records, consecutive hosts.
AnswerSet set_from(std::uint64_t h, std::uint64_t h2) {
  AnswerSet s;
  const std::uint32_t v4_prefix = prefix24(h);
  const Ipv6 v6_prefix = prefix48(h2);
  s.v4_count = static_cast<std::uint8_t>(1 + (h2 % 3));
  s.v6_count = static_cast<std::uint8_t>(1 + ((h2 >> 2) % 2));
  const std::uint32_t host = 1 + static_cast<std::uint32_t>((h >> 40) % 100);
  for (std::uint8_t i = 0; i < s.v4_count; ++i) s.v4[i] = v4_prefix | (host + i);
  for (std::uint8_t i = 0; i < s.v6_count; ++i) s.v6[i] = with_host(v6_prefix, host + i);
  constexpr std::array<std::uint32_t, 3> ttls{300, 600, 3600};
  s.ttl = ttls[(h >> 60) % ttls.size()];
  return s;
}

}  // namespace

std::string ZoneModel::name(std::uint32_t index) const {
  return "h" + std::to_string(index) + "." + zone_name(*this, zone_of(*this, index));
}

std::uint32_t zone_of(const ZoneModel& model, std::uint32_t index) { return model.zones > 1 ? index % model.zones : 0; }

ZoneText zone_text(const ZoneModel& model, std::uint32_t zone) {
  ZoneText out;
  char* at = out.text.data();
  char* const end = at + out.text.size();
  if (model.zones > 1) {
    *at++ = 'z';
    at = std::to_chars(at, end, zone).ptr;
    *at++ = '.';
  }
  if (model.zone.size() > static_cast<std::size_t>(end - at)) throw std::length_error("zone name too long");
  at = std::copy(model.zone.begin(), model.zone.end(), at);
  out.size = static_cast<std::size_t>(at - out.text.data());
  return out;
}

std::string zone_name(const ZoneModel& model, std::uint32_t zone) { return std::string(zone_text(model, zone).view()); }

std::optional<ZonePlace> zone_place(const ZoneModel& model, std::string_view name) {
  const std::string_view base = model.zone;
  if (name.size() < base.size() || !same_lower(name.substr(name.size() - base.size()), base)) return std::nullopt;
  const std::string_view rest = name.substr(0, name.size() - base.size());  // "" or "....label."
  if (!rest.empty() && rest.back() != '.') return std::nullopt;             // "amailhost.test."
  if (model.zones <= 1) return ZonePlace{0, rest};
  if (rest.empty()) return std::nullopt;  // the base itself: above every zone
  const std::string_view labels = rest.substr(0, rest.size() - 1);
  const std::size_t dot = labels.rfind('.');
  const std::string_view label = dot == std::string_view::npos ? labels : labels.substr(dot + 1);
  if (label.size() < 2 || lower(label[0]) != 'z') return std::nullopt;
  const auto zone = parse_index(label.substr(1), model.zones);
  if (!zone) return std::nullopt;
  return ZonePlace{*zone, dot == std::string_view::npos ? std::string_view{} : rest.substr(0, dot + 1)};
}

std::optional<std::uint32_t> name_index(const ZoneModel& model, std::string_view name) {
  if (!name.empty() && name.back() != '.') return name_index(model, std::string(name) + ".");
  const auto place = zone_place(model, name);
  if (!place) return std::nullopt;
  const std::string_view prefix = place->prefix;  // "h12."
  if (prefix.size() < 3 || lower(prefix[0]) != 'h' || prefix.find('.') != prefix.size() - 1) return std::nullopt;
  const auto index = parse_index(prefix.substr(1, prefix.size() - 2), model.names);
  if (!index || zone_of(model, *index) != place->zone) return std::nullopt;
  return index;
}

bool is_geo_split(const ZoneModel& model, std::uint32_t name) {
  return unit_interval(draw(model.seed, purpose_name_geo, name)) < model.geo_share;
}

AnswerSet true_answer(const ZoneModel& model, std::uint32_t name, bool second_server) {
  const std::uint64_t variant = second_server && is_geo_split(model, name) ? 1 : 0;
  const std::uint64_t h = draw(model.seed, purpose_name_truth, name, variant);
  AnswerSet s = set_from(h, mix64(h));
  if (variant) s.ttl = true_answer(model, name, false).ttl;  // one TTL per RRset across servers
  return s;
}

AnswerSet cdn_answer(const ZoneModel& model, std::uint32_t resolver, std::uint32_t name) {
  AnswerSet s = true_answer(model, name, false);
  const std::uint64_t h = draw(model.seed, purpose_cdn, resolver, name);
  const std::uint32_t host = cdn_first_host + static_cast<std::uint32_t>(h % (cdn_pool - 1));
  s.v4_count = 1 + static_cast<std::uint8_t>((h >> 8) % 2);
  for (std::uint8_t i = 0; i < s.v4_count; ++i) s.v4[i] = (s.v4[0] & 0xffffff00u) | (host + i);
  s.v6_count = 1;
  s.v6[0] = with_host(s.v6[0], host);
  s.ttl = std::min<std::uint32_t>(s.ttl, 60);  // CDNs hand out short TTLs
  return s;
}

bool forges(const ZoneModel& model, std::uint32_t resolver, std::uint32_t name) {
  return unit_interval(draw(model.seed, purpose_forged_pick, resolver, name)) < model.forged_share;
}

AnswerSet forged_answer(const ZoneModel& model, std::uint32_t resolver, std::uint32_t name, std::uint64_t seconds) {
  const std::uint64_t h = draw(model.seed, purpose_forged_address, resolver, name);
  AnswerSet s;
  s.v4_count = 1;
  s.v4[0] = std::uint32_t{forged_first_octets[h % forged_first_octets.size()]} << 24 |
            static_cast<std::uint32_t>((h >> 8) & 0xffffff);
  s.v6_count = 1;
  s.v6[0] = with_host(prefix48(mix64(h)), 0x66);
  s.v6[0][1] = 0x10;  // 2a10::/16: never a truth prefix (those are in 2a00::/12)
  // The forger's cache was filled some time before the farm started (up to half the TTL);
  // from then on it counts down, and starts again when it reaches 1.
  const std::uint32_t top = std::max<std::uint32_t>(model.forged_ttl, 7200);
  const std::uint64_t age = draw(model.seed, purpose_forged_ttl, resolver, name) % (top / 2);
  const std::uint32_t span = top - 3600;  // stays above every true TTL (at most 3600)
  s.ttl = top - static_cast<std::uint32_t>((age + seconds) % span);
  return s;
}

void write_names(std::ostream& out, const ZoneModel& model) {
  for (std::uint32_t i = 0; i < model.names; ++i) out << model.name(i) << '\n';
}

std::string ipv4_string(std::uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

std::string ipv6_string(const Ipv6& address) {
  char text[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, address.data(), text, sizeof text);
  return text;
}

}  // namespace mxsentry::farm
