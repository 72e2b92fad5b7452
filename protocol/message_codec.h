#pragma once
// msgpack encoding of the protocol messages, and strict decoding: sizes bounded before
// anything is allocated (msgpack-cxx's defaults are unbounded), the whole body consumed,
// every field checked for type and range. Unknown keys are ignored (a newer peer may add
// some); a different protocol version is an error.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "protocol/messages.h"

namespace mxsentry::protocol {

struct Limits {
  std::size_t max_body_bytes = 8u << 20;   ///< also the socket's ZMQ_MAXMSGSIZE
  std::size_t max_list = 20000;            ///< tasks, expected answers, observations, matched results; HELLO resolvers
  std::size_t max_records = 256;           ///< records in one section of one observation
  std::size_t max_string = 65535;          ///< bytes in one string (a DNS message at most)
  std::size_t max_map = 64;                ///< keys in one map (tags included)
  std::size_t max_depth = 8;               ///< nesting
  std::size_t max_answer_sets = 64;        ///< digests of one question's expected answers in a WORK
  /// Values in one body (each costs msgpack some 24 bytes, a nil one byte on the wire): an 8 MB
  /// body of nested nil arrays once took the coordinator from 13 to 226 MB. The largest honest
  /// RESULTS (200 observations of 3 x 256 records) stays below.
  std::size_t max_values = 1'000'000;
};

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The two frames of a message.
struct Frames {
  std::string type;
  std::string body;
};

Frames encode(const Message& message);

/// Cuts an observation down to what the limits let through (records per section, extra
/// responses, string lengths), saying so in its `error`. Honest data is never that large; a
/// hostile resolver's must not make the whole batch undeliverable.
void clamp_to_limits(Observation& observation, const Limits& limits);

/// One observation alone, as inside RESULTS (the sweep store keeps observations this way).
std::string encode_observation(const Observation& observation);
Observation decode_observation(std::string_view bytes, const Limits& limits = {});
/// One matched result alone, as inside RESULTS (what it adds to a batch's size, and the form a
/// sweep database keeps it in).
std::string encode_matched(const MatchedResult& matched);
/// Reads what encode_matched wrote; throws ProtocolError as decode() does.
MatchedResult decode_matched(std::string_view bytes, const Limits& limits = {});
/// Throws ProtocolError naming what is wrong ("WORK: tasks[3].qtype: expected an integer").
Message decode(std::string_view type, std::string_view body, const Limits& limits = {});

}  // namespace mxsentry::protocol
