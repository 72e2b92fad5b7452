#include "prober/core/observation.h"

namespace mxsentry {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::answer: return "answer";
    case Outcome::timeout: return "timeout";
    case Outcome::malformed: return "malformed";
    case Outcome::network_error: return "network-error";
    case Outcome::not_asked: return "not-asked";
  }
  return "unknown";
}

const char* to_string(Transport transport) {
  return transport == Transport::tcp ? "tcp" : "udp";
}

const char* to_string(NotAskedReason reason) {
  switch (reason) {
    case NotAskedReason::opt_out: return "opt-out";
    case NotAskedReason::opt_out_coordinator: return "opt-out-coordinator";
    case NotAskedReason::private_refused: return "private-refused";
    case NotAskedReason::bad_address: return "bad-address";
  }
  return "unknown";
}

std::optional<NotAskedReason> not_asked_reason_from_string(std::string_view text) {
  for (auto r : {NotAskedReason::opt_out, NotAskedReason::opt_out_coordinator, NotAskedReason::private_refused,
                 NotAskedReason::bad_address})
    if (text == to_string(r)) return r;
  return std::nullopt;
}

}  // namespace mxsentry
