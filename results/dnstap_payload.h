#pragma once
// One dnstap record (the `Dnstap` protobuf message of dnstap.proto holding one `Message`), as
// the bytes of one Frame Streams data frame. Pure: no I/O.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "prober/core/observation.h"
#include "protocol/dns/endpoint.h"

namespace mxsentry {

enum class DnstapType { tool_query, tool_response };

struct DnstapEvent {
  DnstapType type = DnstapType::tool_query;
  Transport transport = Transport::udp;  ///< socket_protocol
  /// The responder (response_address, response_port; socket_family from it). The initiator's
  /// address and port (query_address, query_port) are not stored and are left out.
  Endpoint responder;
  std::int64_t query_time_ns = -1;     ///< Unix ns; below 0: left out
  std::int64_t response_time_ns = -1;  ///< Unix ns; below 0: left out
  std::span<const std::uint8_t> query_message;     ///< empty: left out
  std::span<const std::uint8_t> response_message;  ///< empty: left out
  std::string_view identity;  ///< Dnstap.identity (empty: left out)
  std::string_view version;   ///< Dnstap.version
  std::string_view extra;     ///< Dnstap.extra
};

/// The serialized `Dnstap` message, replacing `out`'s contents (reusing its memory).
void encode_dnstap(const DnstapEvent& event, std::string& out);

}  // namespace mxsentry
