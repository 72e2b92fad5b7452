#include "prober/core/observation.h"

namespace mxsentry {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::answer: return "answer";
    case Outcome::timeout: return "timeout";
    case Outcome::malformed: return "malformed";
    case Outcome::network_error: return "network-error";
  }
  return "unknown";
}

const char* to_string(Transport transport) {
  return transport == Transport::tcp ? "tcp" : "udp";
}

}  // namespace mxsentry
