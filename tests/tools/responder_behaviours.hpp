// Behaviours of mxsentry-test-responder: given one query, decide what to send back.
//
// This part knows nothing about sockets. It turns a query (wire format) into a list of
// actions -- "send these bytes after this delay, from this socket" -- that the I/O loop in
// misbehaving_responder.cpp carries out. The behaviour is chosen by the first label of the
// query name (case-insensitive), e.g. "wrongid.t.example." -> Behaviour::wrongid.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mxsentry::test_responder {

enum class Transport { udp, tcp };

enum class Behaviour {
  ok,
  wrongid,
  wrongport,
  wrongname,
  wrongtype,
  noquestion,
  garbage,
  garbageonly,
  compressloop,
  truncated,
  trailing,
  twoopt,
  tc,
  tcclose,
  silent,
  slow,
  dropfirst,
  twice,
  servfail,
  refused,
  cname,
  echo_count,
  numbered,
};

// Case-insensitive; nullopt for a label that names no behaviour.
std::optional<Behaviour> behaviour_from_label(std::string_view label);
std::string_view behaviour_name(Behaviour behaviour);

// One step of a reply. Delays are counted from the moment the query arrived.
struct Action {
  std::chrono::milliseconds delay{0};
  bool from_other_port = false;   // UDP: send from the second socket (another source port)
  bool close_connection = false;  // TCP: close the connection; `wire` is empty
  std::vector<std::uint8_t> wire;
};

struct Reply {
  Behaviour behaviour = Behaviour::ok;
  bool label_known = true;  // false: unknown first label, answered as `ok`
  std::string qname;        // presentation format, for logging
  std::string qtype;
  std::vector<Action> actions;  // empty: say nothing
};

class Responder {
 public:
  // nullopt when the message is not a query we can parse (it is then ignored).
  // Throws std::runtime_error / std::bad_alloc if ldns fails to build a reply.
  std::optional<Reply> respond(std::span<const std::uint8_t> query, Transport transport);

 private:
  std::vector<std::uint8_t> random_bytes(std::size_t count);

  // Keys are the lower-cased wire-format qname (plus the qtype for dropfirst).
  std::unordered_set<std::string> seen_once_;             // dropfirst
  std::unordered_map<std::string, unsigned> query_count_;  // echo-count
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace mxsentry::test_responder
