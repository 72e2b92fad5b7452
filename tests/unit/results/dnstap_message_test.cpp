// The wire form rebuilt from a stored observation (results/dnstap_message.h): parsed back with
// ldns, it says what the observation says (question, flags, rcode, EDNS, every answer record
// and RRSIG), and the query is the one a prober sends.

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "prober/core/observation.h"
#include "prober/core/response_parse.h"
#include "protocol/dns/ldns_include.h"
#include "results/dnstap_message.h"

using mxsentry::Observation;
using mxsentry::ResourceRecord;

namespace {

struct PacketFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using Packet = std::unique_ptr<ldns_pkt, PacketFree>;

Packet parse(const std::vector<std::uint8_t>& wire) {
  ldns_pkt* p = nullptr;
  REQUIRE(ldns_wire2pkt(&p, wire.data(), wire.size()) == LDNS_STATUS_OK);
  return Packet(p);
}

std::string question_of(const ldns_pkt* p) {
  REQUIRE(ldns_pkt_qdcount(p) == 1);
  ldns_rr* q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
  char* owner = ldns_rdf2str(ldns_rr_owner(q));
  std::string out = std::string(owner) + " " + std::to_string(ldns_rr_get_type(q)) + " " +
                    std::to_string(ldns_rr_get_class(q));
  std::free(owner);
  return out;
}

std::vector<ResourceRecord> sorted(std::vector<ResourceRecord> records) {
  std::sort(records.begin(), records.end(), [](const ResourceRecord& a, const ResourceRecord& b) {
    return std::tie(a.name, a.type, a.ttl, a.rdata) < std::tie(b.name, b.type, b.ttl, b.rdata);
  });
  return records;
}

Observation answered() {
  Observation o;
  o.resolver = *mxsentry::Endpoint::parse("192.0.2.53");
  o.qname = "mx.plainmail.net.";
  o.qtype = 1;
  o.outcome = mxsentry::Outcome::answer;
  o.rcode = 0;
  o.flags.rd = o.flags.ra = o.flags.ad = true;
  o.answers = {{"mx.plainmail.net.", 5, 300, "mail.plainmail.net."},
               {"mail.plainmail.net.", 1, 3600, "198.51.100.25"},
               {"mail.plainmail.net.", 1, 3600, "198.51.100.26"}};
  o.rrsigs = {{"mail.plainmail.net.", 46, 3600,
               "A 13 3 3600 20270101000000 20261201000000 4711 plainmail.net. dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ=="}};
  o.edns = mxsentry::Edns{true, 1232, 0, true};
  o.rtt_ms = 12.5;
  o.time_ms = 1796637600123;
  return o;
}

}  // namespace

TEST_CASE("dnstap wire: the query is the prober's, ID 0, RD and EDNS with DO", "[results][dnstap]") {
  Observation o = answered();
  auto query = mxsentry::rebuild_query(o);
  REQUIRE_FALSE(query.wire.empty());
  CHECK(query.dropped == 0);
  Packet p = parse(query.wire);
  CHECK(question_of(p.get()) == "mx.plainmail.net. 1 1");
  CHECK(ldns_pkt_id(p.get()) == 0);
  CHECK_FALSE(ldns_pkt_qr(p.get()));
  CHECK(ldns_pkt_rd(p.get()));
  CHECK(ldns_pkt_get_opcode(p.get()) == LDNS_PACKET_QUERY);
  CHECK(ldns_pkt_ancount(p.get()) == 0);
  CHECK(ldns_pkt_edns(p.get()));
  CHECK(ldns_pkt_edns_udp_size(p.get()) == 1232);
  CHECK(ldns_pkt_edns_do(p.get()));
}

TEST_CASE("dnstap wire: the response parses back to the stored answer", "[results][dnstap]") {
  Observation o = answered();
  auto response = mxsentry::rebuild_response(o);
  REQUIRE_FALSE(response.wire.empty());
  CHECK(response.dropped == 0);

  Packet p = parse(response.wire);
  CHECK(question_of(p.get()) == "mx.plainmail.net. 1 1");
  CHECK(ldns_pkt_qr(p.get()));
  CHECK(ldns_pkt_ancount(p.get()) == 4);
  CHECK(ldns_pkt_nscount(p.get()) == 0);  // the authority summary is not written

  std::string error;
  mxsentry::ParsedResponse back;
  REQUIRE(mxsentry::detail::parse_response_ldns(response.wire, back, &error));
  CHECK(back.rcode == o.rcode);
  CHECK(back.flags == o.flags);
  CHECK(back.edns == o.edns);
  CHECK(sorted(back.answers) == sorted(o.answers));
  CHECK(back.rrsigs == o.rrsigs);
}

TEST_CASE("dnstap wire: flags, an extended rcode and no EDNS", "[results][dnstap]") {
  Observation o = answered();
  o.answers.clear();
  o.rrsigs.clear();
  o.flags = mxsentry::HeaderFlags{true, true, false, false, false, true};  // aa, tc, cd
  o.rcode = 16;                                                          // BADVERS: needs EDNS
  o.edns = mxsentry::Edns{true, 4096, 1, false};
  mxsentry::ParsedResponse back;
  std::string error;
  auto response = mxsentry::rebuild_response(o);
  REQUIRE(mxsentry::detail::parse_response_ldns(response.wire, back, &error));
  CHECK(back.rcode == 16);
  CHECK(back.flags == o.flags);
  CHECK(back.edns == o.edns);

  o.rcode = 3;  // NXDOMAIN
  o.edns = {};
  response = mxsentry::rebuild_response(o);
  REQUIRE(mxsentry::detail::parse_response_ldns(response.wire, back, &error));
  CHECK(back.rcode == 3);
  CHECK_FALSE(back.edns.present);
  CHECK(parse(response.wire) != nullptr);
}

TEST_CASE("dnstap wire: a record ldns cannot read is left out and counted", "[results][dnstap]") {
  Observation o = answered();
  o.answers.push_back({"mail.plainmail.net.", 1, 60, "not-an-address"});
  auto response = mxsentry::rebuild_response(o);
  CHECK(response.dropped == 1);
  mxsentry::ParsedResponse back;
  std::string error;
  REQUIRE(mxsentry::detail::parse_response_ldns(response.wire, back, &error));
  CHECK(back.answers.size() == 3);
}

TEST_CASE("dnstap wire: no response without an answer, a further response keeps its rcode and records",
          "[results][dnstap]") {
  Observation o = answered();
  o.outcome = mxsentry::Outcome::timeout;
  o.rcode = -1;
  CHECK(mxsentry::rebuild_response(o).wire.empty());

  Observation a = answered();
  mxsentry::ExtraResponse extra;
  extra.rcode = 0;
  extra.answers = {{"mx.plainmail.net.", 1, 86400, "203.0.113.66"}};
  auto other = mxsentry::rebuild_extra_response(a, extra);
  mxsentry::ParsedResponse back;
  std::string error;
  REQUIRE(mxsentry::detail::parse_response_ldns(other.wire, back, &error));
  CHECK(back.answers == extra.answers);
  CHECK(back.flags.rd);
  CHECK_FALSE(back.flags.aa);
  Packet p = parse(other.wire);
  CHECK(question_of(p.get()) == "mx.plainmail.net. 1 1");
}

TEST_CASE("dnstap wire: an IPv6 question name with escapes survives", "[results][dnstap]") {
  Observation o = answered();
  o.qname = "we\\.ird.plainmail.net.";
  o.qtype = 28;
  o.answers = {{"we\\.ird.plainmail.net.", 28, 60, "2001:db8::25"}};
  o.rrsigs.clear();
  mxsentry::ParsedResponse back;
  std::string error;
  auto response = mxsentry::rebuild_response(o);
  REQUIRE(mxsentry::detail::parse_response_ldns(response.wire, back, &error));
  CHECK(back.answers == o.answers);
  CHECK(question_of(parse(response.wire).get()) == "we\\.ird.plainmail.net. 28 1");
}

TEST_CASE("dnstap wire: records of many types, built from their fields or read as text", "[results][dnstap]") {
  Observation o = answered();
  o.qtype = 255;
  o.rrsigs.clear();
  o.answers = {{"mx.plainmail.net.", 15, 300, "10 mail.plainmail.net."},
               {"mx.plainmail.net.", 2, 300, "ns1.plainmail.net."},
               {"mx.plainmail.net.", 16, 300, "\"v=spf1 -all\" \"two strings\""},
               {"mx.plainmail.net.", 6, 300, "ns1.plainmail.net. hostmaster.plainmail.net. 2026120701 7200 3600 1209600 300"},
               {"mx.plainmail.net.", 257, 300, "0 issue \"ca.example\""},
               {"mx.plainmail.net.", 28, 300, "2001:db8::25"},
               {"sp\\032ace.plainmail.net.", 5, 300, "mx.plainmail.net."}};
  auto response = mxsentry::rebuild_response(o);
  CHECK(response.dropped == 0);
  mxsentry::ParsedResponse back;
  std::string error;
  REQUIRE(mxsentry::detail::parse_response_ldns(response.wire, back, &error));
  CHECK(sorted(back.answers) == sorted(o.answers));

  o.answers = {{"mx.plainmail.net.", 15, 300, "10"}, {"mx.plainmail.net.", 1, 300, "192.0.2.1 192.0.2.2"}};
  CHECK(mxsentry::rebuild_response(o).dropped == 2);
}
