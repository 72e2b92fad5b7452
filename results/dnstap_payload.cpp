#include "results/dnstap_payload.h"

#include <sys/socket.h>

#include "dnstap/dnstap.pb-c.h"

namespace mxsentry {

namespace {

ProtobufCBinaryData bytes_of(std::string_view text) {
  return {text.size(), reinterpret_cast<std::uint8_t*>(const_cast<char*>(text.data()))};
}

ProtobufCBinaryData bytes_of(std::span<const std::uint8_t> bytes) {
  return {bytes.size(), const_cast<std::uint8_t*>(bytes.data())};
}

void set_time(std::int64_t ns, protobuf_c_boolean& has_sec, std::uint64_t& sec, protobuf_c_boolean& has_nsec,
              std::uint32_t& nsec) {
  if (ns < 0) return;
  has_sec = has_nsec = 1;
  sec = static_cast<std::uint64_t>(ns / 1'000'000'000);
  nsec = static_cast<std::uint32_t>(ns % 1'000'000'000);
}

}  // namespace

void encode_dnstap(const DnstapEvent& e, std::string& out) {
  Dnstap__Message m = DNSTAP__MESSAGE__INIT;
  m.type = e.type == DnstapType::tool_query ? DNSTAP__MESSAGE__TYPE__TOOL_QUERY : DNSTAP__MESSAGE__TYPE__TOOL_RESPONSE;
  m.has_socket_protocol = 1;
  m.socket_protocol = e.transport == Transport::tcp ? DNSTAP__SOCKET_PROTOCOL__TCP : DNSTAP__SOCKET_PROTOCOL__UDP;
  if (e.responder.family == AF_INET || e.responder.family == AF_INET6) {
    const bool v4 = e.responder.family == AF_INET;
    m.has_socket_family = 1;
    m.socket_family = v4 ? DNSTAP__SOCKET_FAMILY__INET : DNSTAP__SOCKET_FAMILY__INET6;
    m.has_response_address = 1;
    m.response_address = bytes_of(std::span<const std::uint8_t>(e.responder.address.data(), v4 ? 4 : 16));
    m.has_response_port = 1;
    m.response_port = e.responder.port;
  }
  set_time(e.query_time_ns, m.has_query_time_sec, m.query_time_sec, m.has_query_time_nsec, m.query_time_nsec);
  set_time(e.response_time_ns, m.has_response_time_sec, m.response_time_sec, m.has_response_time_nsec,
           m.response_time_nsec);
  if (!e.query_message.empty()) {
    m.has_query_message = 1;
    m.query_message = bytes_of(e.query_message);
  }
  if (!e.response_message.empty()) {
    m.has_response_message = 1;
    m.response_message = bytes_of(e.response_message);
  }

  Dnstap__Dnstap d = DNSTAP__DNSTAP__INIT;
  d.type = DNSTAP__DNSTAP__TYPE__MESSAGE;
  d.message = &m;
  if (!e.identity.empty()) {
    d.has_identity = 1;
    d.identity = bytes_of(e.identity);
  }
  if (!e.version.empty()) {
    d.has_version = 1;
    d.version = bytes_of(e.version);
  }
  if (!e.extra.empty()) {
    d.has_extra = 1;
    d.extra = bytes_of(e.extra);
  }
  out.resize(dnstap__dnstap__get_packed_size(&d));
  dnstap__dnstap__pack(&d, reinterpret_cast<std::uint8_t*>(out.data()));
}

}  // namespace mxsentry
