// Sockets of mxsentry-test-responder: an owning fd wrapper, loopback checks, and opening
// UDP + TCP on one loopback address and port (plus a second UDP socket for `wrongport`).
#pragma once

#include <netinet/in.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <utility>

#include "unique_fd.hpp"

namespace mxsentry::test_responder {


// Throws std::runtime_error("<what>: <strerror(errno)>").
[[noreturn]] void throw_errno(const std::string& what);

bool is_loopback(const sockaddr_in& a);
std::string to_string(const sockaddr_in& a);  // "127.0.0.1:53"

struct Sockets {
  UniqueFd udp;        // queries arrive here; normal replies leave from here
  UniqueFd udp_other;  // same address, another port: the `wrongport` first reply
  UniqueFd tcp;        // listening
  std::uint16_t port = 0;
};

// UDP and TCP on the same address and port, non-blocking. With port 0, a port that is free
// for both is picked. Throws std::runtime_error on failure.
Sockets open_sockets(sockaddr_in addr);

}  // namespace mxsentry::test_responder
