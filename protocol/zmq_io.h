#pragma once
// Receiving and sending multipart ZeroMQ messages defensively: a cap on the number of parts
// (ZMQ_MAXMSGSIZE bounds one part only), the rest of a rejected message drained, and the
// authenticated CURVE identity (the ZAP user id) read from the message, never from its body.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

namespace mxsentry {

struct Received {
  std::vector<std::string> parts;
  std::string user_id;       ///< ZAP user id ("" without authentication)
  bool too_many_parts = false;
};

/// One message if one is waiting (never blocks); at most `max_parts` parts are kept.
std::optional<Received> receive_message(zmq::socket_t& socket, std::size_t max_parts);
/// Sends the parts as one message without blocking; false when it could not be queued.
bool send_message(zmq::socket_t& socket, const std::vector<std::string>& parts);

/// zmq::poll that returns 0 when a signal interrupts it (the loop then sees its stop flag).
int poll_interruptible(zmq::pollitem_t* items, std::size_t count, std::chrono::milliseconds timeout);

/// CURVE server with ZAP enforcing `domain`: without enforcement libzmq 4.3 admits any key.
void make_curve_server(zmq::socket_t& socket, const std::string& secret_key, const std::string& domain);
void make_curve_client(zmq::socket_t& socket, const std::string& public_key, const std::string& secret_key,
                       const std::string& server_key);

}  // namespace mxsentry
