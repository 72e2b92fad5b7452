// Fuzz target: every decoder of the coordinator-prober protocol. The first input byte picks
// the message type (or a lone observation or matched result, as the sweep store keeps them,
// or a matched result in the store's own form), the rest is the msgpack body. What decodes must encode and decode again to the same bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/message_codec.h"
#include "protocol/stored_matched.h"

namespace {

using namespace mxsentry;
using namespace mxsentry::protocol;

constexpr std::string_view types[] = {"HELLO", "READY", "WORK", "RESULTS", "DONE", "HEARTBEAT", "BYE", "ERROR"};

// Small limits too, so that every limit's check is reached with small inputs.
protocol::Limits limits_for(std::uint8_t selector) {
  protocol::Limits limits;
  if (selector & 0x80) {
    limits.max_list = 3;
    limits.max_records = 2;
    limits.max_string = 16;
    limits.max_map = 8;
    limits.max_depth = 3;
    limits.max_answer_sets = 2;
    limits.max_values = 64;
  }
  return limits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const protocol::Limits limits = limits_for(selector);
  const unsigned which = (selector & 0x7f) % 11;
  try {
    if (which < 8) {
      Message message = protocol::decode(types[which], body, limits);
      protocol::Frames frames = protocol::encode(message);
      if (frames.type != types[which]) __builtin_trap();
      protocol::Frames again = protocol::encode(protocol::decode(frames.type, frames.body, limits));
      if (again.body != frames.body) __builtin_trap();
    } else if (which == 8) {
      Observation o = protocol::decode_observation(body, limits);
      std::string bytes = protocol::encode_observation(o);
      if (protocol::encode_observation(protocol::decode_observation(bytes, limits)) != bytes) __builtin_trap();
    } else if (which == 10) {
      // The store's form: a set of 1 to 4 records; the sweep started at a fixed time.
      const std::int64_t base = 1'700'000'000'000;
      auto set_size = [&](std::uint32_t) { return std::size_t{1} + (selector >> 5 & 3); };
      MatchedResult m = protocol::decode_stored_matched(body, 0, base, set_size, limits);
      auto bytes = protocol::encode_stored_matched(m, base);
      if (!bytes) __builtin_trap();  // a time read as base + a difference is always a difference again
      auto again = protocol::encode_stored_matched(protocol::decode_stored_matched(*bytes, 0, base, set_size, limits), base);
      if (!again || *again != *bytes) __builtin_trap();
    } else {
      MatchedResult m = protocol::decode_matched(body, limits);
      std::string bytes = protocol::encode_matched(m);
      if (protocol::encode_matched(protocol::decode_matched(bytes, limits)) != bytes) __builtin_trap();
    }
  } catch (const protocol::ProtocolError&) {
    // A refused message: what the decoder must do with bad input.
  }
  return 0;
}
