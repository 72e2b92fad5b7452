#include "responder_sockets.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mxsentry::test_responder {

void throw_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

bool is_loopback(const sockaddr_in& a) {
  return a.sin_family == AF_INET && (ntohl(a.sin_addr.s_addr) >> 24) == 127;
}

std::string to_string(const sockaddr_in& a) {
  char text[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
  return std::string(text) + ":" + std::to_string(ntohs(a.sin_port));
}

namespace {

UniqueFd open_socket(int type) {
  UniqueFd fd{::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  if (fd.get() < 0) throw_errno("socket");
  return fd;
}

bool bind_to(const UniqueFd& fd, const sockaddr_in& a) {
  return ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
}

std::uint16_t local_port(const UniqueFd& fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    throw_errno("getsockname");
  }
  return ntohs(a.sin_port);
}

}  // namespace

Sockets open_sockets(sockaddr_in addr) {
  if (!is_loopback(addr)) throw std::runtime_error("not a loopback address: " + to_string(addr));
  const bool any_port = addr.sin_port == 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    Sockets s;
    s.udp = open_socket(SOCK_DGRAM);
    if (!bind_to(s.udp, addr)) throw_errno("bind UDP " + to_string(addr));
    s.port = local_port(s.udp);
    s.tcp = open_socket(SOCK_STREAM);
    const int one = 1;
    ::setsockopt(s.tcp.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in tcp_addr = addr;
    tcp_addr.sin_port = htons(s.port);
    if (!bind_to(s.tcp, tcp_addr)) {
      if (any_port && errno == EADDRINUSE) continue;  // UDP port free, TCP one not: again
      throw_errno("bind TCP " + to_string(tcp_addr));
    }
    if (::listen(s.tcp.get(), 64) != 0) throw_errno("listen");
    s.udp_other = open_socket(SOCK_DGRAM);
    sockaddr_in other = addr;
    other.sin_port = 0;
    if (!bind_to(s.udp_other, other)) throw_errno("bind second UDP socket");
    return s;
  }
  throw std::runtime_error("no port free for both UDP and TCP");
}

}  // namespace mxsentry::test_responder
