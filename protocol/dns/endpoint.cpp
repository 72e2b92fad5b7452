#include "protocol/dns/endpoint.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "protocol/dns/shown_text.h"

namespace mxsentry {

std::string Endpoint::address_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family == AF_INET || family == AF_INET6) inet_ntop(family, address.data(), buf, sizeof buf);
  return buf;
}

std::string Endpoint::to_string() const {
  if (port == 53) return address_string();
  if (family == AF_INET6) return "[" + address_string() + "]:" + std::to_string(port);
  return address_string() + ":" + std::to_string(port);
}

socklen_t Endpoint::to_sockaddr(sockaddr_storage& out) const {
  std::memset(&out, 0, sizeof out);
  if (family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, address.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  std::memcpy(&sin6->sin6_addr, address.data(), 16);
  return sizeof(sockaddr_in6);
}

bool Endpoint::matches(const sockaddr* sa) const {
  if (sa == nullptr || sa->sa_family != family) return false;
  if (family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
    return ntohs(sin->sin_port) == port && std::memcmp(&sin->sin_addr, address.data(), 4) == 0;
  }
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
  return ntohs(sin6->sin6_port) == port && std::memcmp(&sin6->sin6_addr, address.data(), 16) == 0;
}

std::optional<Endpoint> Endpoint::from_sockaddr(const sockaddr* sa) {
  if (sa == nullptr) return std::nullopt;
  Endpoint e;
  if (sa->sa_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
    e.family = AF_INET;
    e.port = ntohs(sin->sin_port);
    std::memcpy(e.address.data(), &sin->sin_addr, 4);
    return e;
  }
  if (sa->sa_family == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
    e.family = AF_INET6;
    e.port = ntohs(sin6->sin6_port);
    std::memcpy(e.address.data(), &sin6->sin6_addr, 16);
    return e;
  }
  return std::nullopt;
}

namespace {

bool parse_port(std::string_view text, std::uint16_t& port, std::string* error) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value == 0 ||
      value > 65535) {
    if (error) *error = "bad port " + shown_text(text);
    return false;
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

bool parse_address(std::string_view text, int family, Endpoint& e) {
  std::string copy(text);  // inet_pton wants a NUL-terminated string
  if (inet_pton(family, copy.c_str(), e.address.data()) != 1) return false;
  e.family = family;
  return true;
}

}  // namespace

std::optional<Endpoint> Endpoint::parse(std::string_view text, std::string* error) {
  Endpoint e;
  if (text.empty()) {
    if (error) *error = "empty address";
    return std::nullopt;
  }
  if (text.find('\0') != std::string_view::npos) {  // inet_pton would stop there and accept the rest
    if (error) *error = "NUL byte in address";
    return std::nullopt;
  }
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) {
      if (error) *error = "missing ']' in " + shown_text(text);
      return std::nullopt;
    }
    if (!parse_address(text.substr(1, close - 1), AF_INET6, e)) {
      if (error) *error = "bad IPv6 address " + shown_text(text.substr(1, close - 1));
      return std::nullopt;
    }
    auto rest = text.substr(close + 1);
    if (rest.empty()) return e;
    if (rest.front() != ':') {
      if (error) *error = "expected ':port' after ']' in " + shown_text(text);
      return std::nullopt;
    }
    if (!parse_port(rest.substr(1), e.port, error)) return std::nullopt;
    return e;
  }
  auto colons = std::count(text.begin(), text.end(), ':');
  if (colons > 1) {  // a bare IPv6 address
    if (!parse_address(text, AF_INET6, e)) {
      if (error) *error = "bad IPv6 address " + shown_text(text);
      return std::nullopt;
    }
    return e;
  }
  auto host = text;
  if (colons == 1) {
    auto colon = text.find(':');
    host = text.substr(0, colon);
    if (!parse_port(text.substr(colon + 1), e.port, error)) return std::nullopt;
  }
  if (!parse_address(host, AF_INET, e)) {
    if (error) *error = "bad IPv4 address " + shown_text(host);
    return std::nullopt;
  }
  return e;
}

std::size_t EndpointHash::operator()(const Endpoint& e) const noexcept {
  // FNV-1a over the bytes that identify the endpoint.
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  mix(static_cast<std::uint8_t>(e.family));
  std::size_t n = e.family == AF_INET ? 4 : 16;
  for (std::size_t i = 0; i < n; ++i) mix(e.address[i]);
  mix(static_cast<std::uint8_t>(e.port >> 8));
  mix(static_cast<std::uint8_t>(e.port));
  return static_cast<std::size_t>(h);
}

}  // namespace mxsentry
