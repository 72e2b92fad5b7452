#include "targets/prefix.h"

#include <charconv>

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

Prefix prefix_of(const Endpoint& address, unsigned length) {
  Prefix prefix;
  prefix.network = address;
  prefix.network.port = 0;
  prefix.length = length;
  for (unsigned i = length / 8; i < 16; ++i) {
    unsigned kept = i == length / 8 ? length % 8 : 0;  // bits of this byte inside the prefix
    prefix.network.address[i] &= static_cast<std::uint8_t>(0xff00u >> kept);
  }
  return prefix;
}

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

}  // namespace mxsentry
