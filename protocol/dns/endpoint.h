#pragma once
// A resolver or server address with its port: the identity of whoever is queried.

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <sys/socket.h>

namespace mxsentry {

struct Endpoint {
  int family = 0;  ///< AF_INET or AF_INET6; 0 for an empty endpoint
  std::array<std::uint8_t, 16> address{};  ///< network byte order; IPv4 uses the first 4 bytes
  std::uint16_t port = 53;

  /// Same as the defaulted comparison, without a memcmp call (it runs for every datagram).
  bool operator==(const Endpoint& o) const {
    std::uint64_t a[2], b[2];
    std::memcpy(a, address.data(), 16);
    std::memcpy(b, o.address.data(), 16);
    return family == o.family && port == o.port && ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }

  /// "192.0.2.1" / "2001:db8::1" without the port.
  std::string address_string() const;
  /// "IP" when the port is 53, otherwise "IP:port" or "[IPv6]:port" (the resolver-list syntax).
  std::string to_string() const;
  /// Fills a sockaddr for sendto/connect; returns its length.
  socklen_t to_sockaddr(sockaddr_storage& out) const;
  /// Same address and port as a sockaddr received from the kernel.
  bool matches(const sockaddr* sa) const;

  /// Parses "IP", "IP:port" or "[IPv6]:port" (a bare IPv6 address has no port); nullopt and a
  /// reason on error.
  static std::optional<Endpoint> parse(std::string_view text, std::string* error = nullptr);
  static std::optional<Endpoint> from_sockaddr(const sockaddr* sa);
};

struct EndpointHash {
  std::size_t operator()(const Endpoint& e) const noexcept;
};

}  // namespace mxsentry
