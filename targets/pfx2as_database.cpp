#include "targets/pfx2as_database.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <arpa/inet.h>

#include "targets/line_cursor.h"

namespace mxsentry {

namespace {

constexpr std::size_t max_origins = std::numeric_limits<std::uint8_t>::max();

// Splits a line on tabs and blanks; at most `max` fields (one more means "too many").
std::size_t split_fields(std::string_view line, std::string_view* fields, std::size_t max) {
  std::size_t count = 0, i = 0;
  while (count < max) {
    while (i < line.size() && (line[i] == '\t' || line[i] == ' ')) ++i;
    if (i == line.size()) break;
    std::size_t start = i;
    while (i < line.size() && line[i] != '\t' && line[i] != ' ') ++i;
    fields[count++] = line.substr(start, i - start);
  }
  return count;
}

// The line's address and length, with no bits set past the length (a pfx2as file is clean; a
// host bit means a broken or misread file).
std::optional<Prefix> route_prefix(std::string_view address, std::string_view length, std::string& error) {
  Prefix prefix;
  char text[INET6_ADDRSTRLEN] = {};  // inet_pton wants a NUL-terminated string
  int family = address.find(':') != std::string_view::npos ? AF_INET6 : AF_INET;
  bool fits = address.size() < sizeof text && address.find('\0') == std::string_view::npos;
  if (fits) std::memcpy(text, address.data(), address.size());
  if (!fits || inet_pton(family, text, prefix.network.address.data()) != 1) {
    error = "bad address '" + std::string(address) + "'";
    return std::nullopt;
  }
  prefix.network.family = family;
  prefix.network.port = 0;
  unsigned max = family == AF_INET ? 32 : 128;
  auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), prefix.length);
  if (ec != std::errc() || end != length.data() + length.size() || prefix.length > max) {
    error = "bad prefix length '" + std::string(length) + "'";
    return std::nullopt;
  }
  for (unsigned bit = prefix.length; bit < max; ++bit) {
    if ((prefix.network.address[bit / 8] >> (7 - bit % 8)) & 1u) {
      error = prefix.to_string() + " has address bits set past its length";
      return std::nullopt;
    }
  }
  return prefix;
}

// "3320", "123_456" (multi-origin) or "123,456" (an AS set), possibly mixed; repeats dropped.
bool parse_origins(std::string_view field, std::vector<std::uint32_t>& asns, std::string& error) {
  asns.clear();
  std::string_view rest = field;
  while (true) {
    auto end_of_asn = rest.find_first_of("_,");
    std::string_view digits = rest.substr(0, end_of_asn);
    std::uint32_t asn = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), asn);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || asn == 0) {
      error = "bad AS number '" + std::string(digits) + "' in '" + std::string(field) + "'";
      return false;
    }
    if (std::find(asns.begin(), asns.end(), asn) == asns.end()) asns.push_back(asn);
    if (end_of_asn == std::string_view::npos) break;
    rest.remove_prefix(end_of_asn + 1);
  }
  if (asns.size() > max_origins) {
    error = "more than " + std::to_string(max_origins) + " origin ASes";
    return false;
  }
  return true;
}

}  // namespace

std::optional<AsnInfo> Pfx2asDatabase::lookup(const Endpoint& address) const {
  auto position = index_.longest_match(address);
  if (!position) return std::nullopt;
  const Route& route = routes_[*position];
  AsnInfo info;
  if (route.asn_count == 1)
    info.asns.push_back(route.asn);
  else
    info.asns.assign(asns_.begin() + route.asn, asns_.begin() + route.asn + route.asn_count);
  info.prefix = prefix_of(address, route.length);
  return info;
}

Pfx2asDatabase parse_pfx2as(std::string_view text, const std::string& source) {
  Pfx2asDatabase database;
  std::vector<PrefixTable::Entry> entries;
  std::vector<std::uint32_t> line_of;  // per route, for the error about a repeated prefix
  LineCursor lines(text);
  std::string_view line;
  std::vector<std::uint32_t> asns;
  std::string error;
  while (lines.next(line)) {
    line = strip_comment(line);
    if (line.empty()) continue;
    std::string_view fields[4];
    if (split_fields(line, fields, 4) != 3)
      throw ListError(source, lines.line_no(), "expected 'prefix<TAB>length<TAB>asn', got " + shown_text(line));
    auto prefix = route_prefix(fields[0], fields[1], error);
    if (!prefix) throw ListError(source, lines.line_no(), error);
    if (!parse_origins(fields[2], asns, error)) throw ListError(source, lines.line_no(), error);
    Pfx2asDatabase::Route route;
    route.asn_count = static_cast<std::uint8_t>(asns.size());
    route.length = static_cast<std::uint8_t>(prefix->length);
    if (asns.size() == 1) {
      route.asn = asns[0];
    } else {
      route.asn = static_cast<std::uint32_t>(database.asns_.size());
      database.asns_.insert(database.asns_.end(), asns.begin(), asns.end());
    }
    entries.push_back({*prefix, static_cast<std::uint32_t>(database.routes_.size())});
    database.routes_.push_back(route);
    line_of.push_back(static_cast<std::uint32_t>(lines.line_no()));
  }
  std::vector<PrefixTable::Repeat> repeats;
  database.index_ = PrefixTable(entries, &repeats);
  if (!repeats.empty()) {
    // Report the repeat that comes first in the file.
    auto first = *std::min_element(repeats.begin(), repeats.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
    throw ListError(source, line_of[first.second],
                    entries[first.second].prefix.to_string() + " is listed twice (first on line " +
                        std::to_string(line_of[first.first]) + ")");
  }
  return database;
}

}  // namespace mxsentry
