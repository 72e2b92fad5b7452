#include "coordinator/control/control_client.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <zmq.hpp>

namespace mxsentry {

nlohmann::json control_request(const std::string& endpoint, const nlohmann::json& request, int timeout_ms) {
  zmq::context_t context;
  zmq::socket_t socket(context, zmq::socket_type::req);
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::maxmsgsize, std::int64_t{64} << 20);
  socket.connect(endpoint);
  std::string text = request.dump();
  socket.send(zmq::buffer(text), zmq::send_flags::none);
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) == 0)
    throw std::runtime_error(endpoint + ": the coordinator did not answer within " + std::to_string(timeout_ms) + " ms");
  zmq::message_t reply;
  if (!socket.recv(reply)) throw std::runtime_error(endpoint + ": no reply");
  nlohmann::json out = nlohmann::json::parse(reply.to_string(), nullptr, false);
  if (out.is_discarded() || !out.is_object()) throw std::runtime_error(endpoint + ": a reply that is not JSON");
  if (!out.value("ok", false)) throw std::runtime_error(out.value("error", std::string("the coordinator refused")));
  return out;
}

std::optional<nlohmann::json> wait_for_sweep(const std::string& endpoint, std::uint64_t sweep, std::int64_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    nlohmann::json show = control_request(endpoint, nlohmann::json{{"cmd", "sweep-show"}, {"sweep", sweep}});
    std::string state = show.at("sweep").at("state").get<std::string>();
    if (state == "complete" || state == "incomplete" || state == "failed") return show.at("sweep");
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace mxsentry
