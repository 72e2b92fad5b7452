#include "protocol/zmq_io.h"

#include <stdexcept>

// A draft option in libzmq 4.3.4's header, but honoured by the library.
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

namespace mxsentry {

std::optional<Received> receive_message(zmq::socket_t& socket, std::size_t max_parts) {
  Received out;
  zmq::message_t part;
  if (!socket.recv(part, zmq::recv_flags::dontwait)) return std::nullopt;
  for (;;) {
    // A ROUTER makes the routing-id part itself, without the connection's metadata: the ZAP
    // user id comes with the parts that crossed the wire.
    if (out.user_id.empty()) {
      try {
        out.user_id = part.gets("User-Id");
      } catch (const zmq::error_t&) {
        // no ZAP user id on this part
      }
    }
    if (out.parts.size() < max_parts)
      out.parts.emplace_back(part.data<char>(), part.size());
    else
      out.too_many_parts = true;  // keep draining: the next message must start clean
    if (!part.more()) break;
    if (!socket.recv(part, zmq::recv_flags::none)) break;
  }
  return out;
}

bool send_message(zmq::socket_t& socket, const std::vector<std::string>& parts) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto flags = zmq::send_flags::dontwait;
    if (i + 1 < parts.size()) flags = flags | zmq::send_flags::sndmore;
    try {
      if (!socket.send(zmq::buffer(parts[i]), flags)) return false;
    } catch (const zmq::error_t&) {
      return false;  // ROUTER_MANDATORY: the peer is gone
    }
  }
  return true;
}

int poll_interruptible(zmq::pollitem_t* items, std::size_t count, std::chrono::milliseconds timeout) {
  try {
    return zmq::poll(items, count, timeout);
  } catch (const zmq::error_t& e) {
    if (e.num() == EINTR) return 0;
    throw;
  }
}

void make_curve_server(zmq::socket_t& socket, const std::string& secret_key, const std::string& domain) {
  socket.set(zmq::sockopt::zap_domain, domain);
  int enforce = 1;
  if (zmq_setsockopt(socket.handle(), ZMQ_ZAP_ENFORCE_DOMAIN, &enforce, sizeof enforce) != 0)
    throw std::runtime_error("this libzmq cannot enforce the ZAP domain: refusing to run CURVE without it");
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, secret_key);
}

void make_curve_client(zmq::socket_t& socket, const std::string& public_key, const std::string& secret_key,
                       const std::string& server_key) {
  socket.set(zmq::sockopt::curve_serverkey, server_key);
  socket.set(zmq::sockopt::curve_publickey, public_key);
  socket.set(zmq::sockopt::curve_secretkey, secret_key);
}

}  // namespace mxsentry
