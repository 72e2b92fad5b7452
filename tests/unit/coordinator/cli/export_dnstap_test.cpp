// `mxsentry export --format dnstap` on a check file made by the store: the Frame Streams file
// walked frame by frame, each frame decoded with the schema's protobuf-c decoder and its
// response parsed with ldns, so that what the check file kept (flags, rcode, EDNS, RRSIGs,
// transport, times) is what the records say.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "coordinator/check/check_store.h"
#include "coordinator/cli/export_command.h"
#include "dnstap/dnstap.pb-c.h"
#include "prober/core/response_parse.h"
#include "tests/unit/coordinator/cli/plainmail_checks.h"
#include "tests/unit/sqlite_file.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

struct Unpacked {
  void operator()(Dnstap__Dnstap* d) const { dnstap__dnstap__free_unpacked(d, nullptr); }
};
using Record = std::unique_ptr<Dnstap__Dnstap, Unpacked>;

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint8_t(s[at + 3]);
}

// The data frames of a Frame Streams file, decoded; control frames skipped.
std::vector<Record> records_in(const std::string& bytes) {
  std::vector<Record> out;
  std::size_t at = 0;
  while (at + 4 <= bytes.size()) {
    std::uint32_t length = be32(bytes, at);
    at += 4;
    if (length == 0) {  // a control frame: its own length, then its body
      REQUIRE(at + 4 <= bytes.size());
      at += 4 + be32(bytes, at);
      continue;
    }
    REQUIRE(at + length <= bytes.size());
    Dnstap__Dnstap* d =
        dnstap__dnstap__unpack(nullptr, length, reinterpret_cast<const std::uint8_t*>(bytes.data() + at));
    REQUIRE(d != nullptr);
    out.emplace_back(d);
    at += length;
  }
  CHECK(at == bytes.size());
  return out;
}

void make_check_file(const std::string& path) {
  CheckStore store(path);
  Truth truth;
  truth.qname = "mx.plainmail.net.";
  truth.qtype = 1;
  truth.zone = "plainmail.net.";
  std::map<Question, Truth> truths{{Question{"mx.plainmail.net.", 1}, truth}};
  Observation signed_answer = test::plainmail_answer("192.0.2.53", "mx.plainmail.net.", 1796637600000,
                                                     {{"mx.plainmail.net.", 1, 300, "198.51.100.25"}});
  signed_answer.flags = HeaderFlags{false, false, true, true, true, false};  // rd ra ad
  signed_answer.rrsigs = {{"mx.plainmail.net.", 46, 300,
                           "A 13 3 300 20270101000000 20261201000000 4711 plainmail.net. c2lnbmF0dXJl"}};
  signed_answer.edns = Edns{true, 1232, 0, true};
  signed_answer.rtt_ms = 40;
  signed_answer.transport = Transport::tcp;
  Observation refused = test::plainmail_answer("192.0.2.66", "mx.plainmail.net.", 1796637600010, {});
  refused.rcode = 5;
  store.save({"plainmail.net."}, "vp1", {signed_answer, refused}, truths,
             {test::plainmail_verdict("192.0.2.53", VerdictClass::consistent, {"198.51.100.25"})});
}

}  // namespace

TEST_CASE("export dnstap: a check file's answers as TOOL_QUERY and TOOL_RESPONSE records", "[cli][export]") {
  test::SqliteFile db;
  make_check_file(db.path());
  test::TempFile out("");
  ExportOptions o;
  o.selection.db = db.path();
  o.format = "dnstap";
  o.out = out.path();
  std::ostringstream err;
  REQUIRE(run_export(o, err) == 0);
  auto records = records_in(test::read_whole_file(out.path()));
  REQUIRE(records.size() == 4);
  CHECK(records[0]->message->type == DNSTAP__MESSAGE__TYPE__TOOL_QUERY);
  CHECK(records[1]->message->type == DNSTAP__MESSAGE__TYPE__TOOL_RESPONSE);
  std::string identity(reinterpret_cast<const char*>(records[0]->identity.data), records[0]->identity.len);
  CHECK(identity == "mxsentry:vp1");
  std::string extra(reinterpret_cast<const char*>(records[1]->extra.data), records[1]->extra.len);
  CHECK(extra == "mxsentry:check/1");

  const Dnstap__Message* signed_response = records[1]->message;
  CHECK(signed_response->socket_protocol == DNSTAP__SOCKET_PROTOCOL__TCP);
  CHECK(signed_response->response_time_sec == 1796637600);
  CHECK(signed_response->query_time_sec == 1796637599);
  CHECK(signed_response->query_time_nsec == 960'000'000);  // 40 ms before
  ParsedResponse back;
  std::string why;
  REQUIRE(detail::parse_response_ldns({signed_response->response_message.data, signed_response->response_message.len},
                                      back, &why));
  CHECK(back.flags == HeaderFlags{false, false, true, true, true, false});
  CHECK(back.edns == Edns{true, 1232, 0, true});
  REQUIRE(back.rrsigs.size() == 1);
  CHECK(back.rrsigs[0].rdata == "A 13 3 300 20270101000000 20261201000000 4711 plainmail.net. c2lnbmF0dXJl");
  CHECK(back.answers == std::vector<ResourceRecord>{{"mx.plainmail.net.", 1, 300, "198.51.100.25"}});

  const Dnstap__Message* refused = records[3]->message;
  CHECK(refused->socket_protocol == DNSTAP__SOCKET_PROTOCOL__UDP);
  REQUIRE(detail::parse_response_ldns({refused->response_message.data, refused->response_message.len}, back, &why));
  CHECK(back.rcode == 5);
  CHECK(back.answers.empty());
  CHECK_FALSE(back.edns.present);
}
