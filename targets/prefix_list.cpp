#include "targets/prefix_list.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <sys/socket.h>

namespace mxsentry {

bool Prefix::contains(const Endpoint& address) const {
  if (address.family != network.family) return false;
  unsigned full = length / 8, rest = length % 8;
  for (unsigned i = 0; i < full; ++i)
    if (address.address[i] != network.address[i]) return false;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (address.address[full] & mask) == (network.address[full] & mask);
}

std::string Prefix::to_string() const { return network.address_string() + "/" + std::to_string(length); }

std::optional<Prefix> parse_prefix(std::string_view text, std::string* error) {
  auto slash = text.find('/');
  std::string_view address = text.substr(0, slash);
  Prefix p;
  std::string why;
  auto parsed = Endpoint::parse(address.find(':') != std::string_view::npos ? "[" + std::string(address) + "]"
                                                                              : std::string(address),
                                &why);
  if (!parsed) {
    if (error) *error = why;
    return std::nullopt;
  }
  p.network = *parsed;
  p.network.port = 0;
  unsigned max = p.network.family == AF_INET ? 32 : 128;
  p.length = max;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p.length);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || p.length > max) {
      if (error) *error = "bad prefix length in '" + std::string(text) + "'";
      return std::nullopt;
    }
  }
  return p;
}

const Prefix* PrefixList::match(const Endpoint& address) const {
  for (const auto& p : prefixes_)
    if (p.contains(address)) return &p;
  return nullptr;
}

PrefixList parse_prefix_list(std::string_view text, const std::string& source) {
  PrefixList list;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = strip_comment(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    if (line.empty()) continue;
    std::string error;
    auto prefix = parse_prefix(line, &error);
    if (!prefix) throw ListError(source, line_no, error);
    list.add(*prefix);
  }
  return list;
}

PrefixList load_prefix_list(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ListError(path + ": cannot open the prefix list");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_prefix_list(text.str(), path);
}

}  // namespace mxsentry
