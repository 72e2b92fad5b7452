// dnstap records of an observation (results/dnstap_records.h) decoded with the schema's own
// protobuf-c decoder: types, socket, responder, times, wire messages and the Dnstap envelope;
// and the Frame Streams framing of results/dnstap_stream.h read byte by byte.

#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "dnstap/dnstap.pb-c.h"
#include "prober/core/observation.h"
#include "prober/core/response_parse.h"
#include "results/dnstap_records.h"
#include "results/dnstap_stream.h"

using mxsentry::Observation;

namespace {

struct Unpacked {
  void operator()(Dnstap__Dnstap* d) const { dnstap__dnstap__free_unpacked(d, nullptr); }
};
using Record = std::unique_ptr<Dnstap__Dnstap, Unpacked>;

Observation answered() {
  Observation o;
  o.resolver = *mxsentry::Endpoint::parse("[2001:db8::53]:5353");
  o.qname = "mx.plainmail.net.";
  o.qtype = 1;
  o.outcome = mxsentry::Outcome::answer;
  o.rcode = 0;
  o.flags.rd = o.flags.ra = true;
  o.answers = {{"mx.plainmail.net.", 1, 3600, "203.0.113.66"}};
  o.edns = mxsentry::Edns{true, 1232, 0, true};
  o.rtt_ms = 12.5;
  o.time_ms = 1796637600123;
  o.transport = mxsentry::Transport::tcp;
  return o;
}

std::vector<Record> records_of(const Observation& o, mxsentry::DnstapCounts& counts) {
  std::vector<Record> out;
  std::string scratch;
  counts = mxsentry::dnstap_records(o, {"mxsentry:vp1", "mxsentry test", "mxsentry:sweep/1 verdict=poisoned"}, scratch,
                                    [&](std::string_view payload) {
                                      Dnstap__Dnstap* d = dnstap__dnstap__unpack(
                                          nullptr, payload.size(), reinterpret_cast<const std::uint8_t*>(payload.data()));
                                      REQUIRE(d != nullptr);
                                      out.emplace_back(d);
                                    });
  return out;
}

std::string text(const ProtobufCBinaryData& b) { return std::string(reinterpret_cast<const char*>(b.data), b.len); }

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint8_t(s[at + 3]);
}

}  // namespace

TEST_CASE("dnstap records: a TOOL_QUERY and a TOOL_RESPONSE with socket, responder and times", "[results][dnstap]") {
  mxsentry::DnstapCounts counts;
  auto records = records_of(answered(), counts);
  REQUIRE(records.size() == 2);
  CHECK(counts.records == 2);
  CHECK(counts.dropped_rrs == 0);
  for (const auto& r : records) {
    CHECK(r->type == DNSTAP__DNSTAP__TYPE__MESSAGE);
    CHECK(text(r->identity) == "mxsentry:vp1");
    CHECK(text(r->version) == "mxsentry test");
    CHECK(text(r->extra) == "mxsentry:sweep/1 verdict=poisoned");
    const Dnstap__Message* m = r->message;
    REQUIRE(m != nullptr);
    CHECK(m->socket_family == DNSTAP__SOCKET_FAMILY__INET6);
    CHECK(m->socket_protocol == DNSTAP__SOCKET_PROTOCOL__TCP);
    REQUIRE(m->has_response_address);
    REQUIRE(m->response_address.len == 16);
    CHECK(std::memcmp(m->response_address.data, answered().resolver.address.data(), 16) == 0);
    CHECK(m->response_port == 5353);
    CHECK_FALSE(m->has_query_address);  // the prober's own address is not stored
    CHECK(m->has_query_time_sec);
    CHECK(m->query_time_sec == 1796637600);
    CHECK(m->query_time_nsec == 110'500'000);  // 12.5 ms before the response
  }
  const Dnstap__Message* query = records[0]->message;
  CHECK(query->type == DNSTAP__MESSAGE__TYPE__TOOL_QUERY);
  CHECK(query->has_query_message);
  CHECK_FALSE(query->has_response_message);
  CHECK_FALSE(query->has_response_time_sec);

  const Dnstap__Message* response = records[1]->message;
  CHECK(response->type == DNSTAP__MESSAGE__TYPE__TOOL_RESPONSE);
  CHECK(response->response_time_sec == 1796637600);
  CHECK(response->response_time_nsec == 123'000'000);
  REQUIRE(response->has_response_message);
  mxsentry::ParsedResponse back;
  std::string error;
  REQUIRE(mxsentry::detail::parse_response_ldns({response->response_message.data, response->response_message.len},
                                                 back, &error));
  CHECK(back.answers == answered().answers);
}

TEST_CASE("dnstap records: a further response is one more TOOL_RESPONSE, nothing without an answer",
          "[results][dnstap]") {
  Observation o = answered();
  o.resolver = *mxsentry::Endpoint::parse("192.0.2.53");
  o.transport = mxsentry::Transport::udp;
  mxsentry::ExtraResponse extra;
  extra.answers = {{"mx.plainmail.net.", 1, 60, "198.51.100.25"}};
  extra.after_ms = 2.25;
  o.extra_responses = {extra};
  mxsentry::DnstapCounts counts;
  auto records = records_of(o, counts);
  REQUIRE(records.size() == 3);
  const Dnstap__Message* late = records[2]->message;
  CHECK(late->type == DNSTAP__MESSAGE__TYPE__TOOL_RESPONSE);
  CHECK(late->socket_family == DNSTAP__SOCKET_FAMILY__INET);
  CHECK(late->socket_protocol == DNSTAP__SOCKET_PROTOCOL__UDP);
  CHECK(late->response_address.len == 4);
  CHECK(late->response_port == 53);
  CHECK(late->response_time_nsec == 125'250'000);
  mxsentry::ParsedResponse back;
  std::string error;
  REQUIRE(mxsentry::detail::parse_response_ldns({late->response_message.data, late->response_message.len}, back,
                                                 &error));
  CHECK(back.answers == extra.answers);

  o.outcome = mxsentry::Outcome::timeout;
  CHECK(records_of(o, counts).empty());
  CHECK(counts.records == 0);
}

TEST_CASE("dnstap records: the extra text names the run and a flagged answer's verdict", "[results][dnstap]") {
  CHECK(mxsentry::dnstap_extra("mxsentry:check/2", "", {}) == "mxsentry:check/2");
  CHECK(mxsentry::dnstap_extra("mxsentry:sweep/1", "poisoned", {"not-in-truth", "ttl-too-long"}) ==
        "mxsentry:sweep/1 verdict=poisoned evidence=not-in-truth,ttl-too-long");
}

TEST_CASE("dnstap stream: START with the content type, one frame per record, STOP", "[results][dnstap]") {
  std::string bytes;
  {
    mxsentry::DnstapStream stream(bytes);
    stream.write("first");
    stream.write("second record");
    stream.finish();
  }
  // START: escape (0), control length, type START (2), field CONTENT_TYPE (1), its length, the type.
  const std::string type = "protobuf:dnstap.Dnstap";
  REQUIRE(bytes.size() >= 20 + type.size());
  CHECK(be32(bytes, 0) == 0);
  CHECK(be32(bytes, 4) == 12 + type.size());
  CHECK(be32(bytes, 8) == 2);
  CHECK(be32(bytes, 12) == 1);
  CHECK(be32(bytes, 16) == type.size());
  CHECK(bytes.substr(20, type.size()) == type);
  std::size_t at = 20 + type.size();
  CHECK(be32(bytes, at) == 5);
  CHECK(bytes.substr(at + 4, 5) == "first");
  at += 9;
  CHECK(be32(bytes, at) == 13);
  CHECK(bytes.substr(at + 4, 13) == "second record");
  at += 17;
  // STOP: escape, length 4, type STOP (3), and nothing after.
  REQUIRE(bytes.size() == at + 12);
  CHECK(be32(bytes, at) == 0);
  CHECK(be32(bytes, at + 4) == 4);
  CHECK(be32(bytes, at + 8) == 3);
}
