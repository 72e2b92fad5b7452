// The farm's replies on the wire, read back with ldns.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/tools/farm_wire.hpp"

// After the standard headers: ldns's C headers define `bool`, which <optional> then trips over.
#include <ldns/ldns.h>

using namespace mxsentry::farm;

namespace {

using Packet = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;

std::vector<std::uint8_t> query_wire(const char* name, ldns_rr_type type, bool edns, bool dnssec_ok = false) {
  ldns_pkt* q = nullptr;
  REQUIRE(ldns_pkt_query_new_frm_str(&q, name, type, LDNS_RR_CLASS_IN, LDNS_RD) == LDNS_STATUS_OK);
  Packet owned(q, ldns_pkt_free);
  ldns_pkt_set_id(q, 0x1234);
  if (edns) {
    ldns_pkt_set_edns_udp_size(q, 1232);
    ldns_pkt_set_edns_do(q, dnssec_ok);
  }
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  REQUIRE(ldns_pkt2wire(&wire, q, &size) == LDNS_STATUS_OK);
  std::vector<std::uint8_t> out(wire, wire + size);
  free(wire);
  return out;
}

struct Reply {
  Packet packet{nullptr, ldns_pkt_free};
  std::string text;
};

Reply reply_to(std::vector<std::uint8_t> wire, const Plan& plan, const ZoneModel& model = ZoneModel{}) {
  const auto query = parse_query(wire.data(), wire.size());
  REQUIRE(query);
  wire.resize(query->question_end + max_reply_growth);
  const WireContext context{&model, 0x7f3d0001, "a.farm-root."};
  const std::size_t length = write_reply(wire.data(), *query, plan, context);
  ldns_pkt* p = nullptr;
  REQUIRE(ldns_wire2pkt(&p, wire.data(), length) == LDNS_STATUS_OK);
  Reply r;
  r.packet.reset(p);
  char* text = ldns_pkt2str(p);
  r.text = text;
  free(text);
  return r;
}

}  // namespace

TEST_CASE("farm wire: queries are read, odd ones refused") {
  auto wire = query_wire("H12.MailHost.test.", LDNS_RR_TYPE_AAAA, true, true);
  const auto q = parse_query(wire.data(), wire.size());
  REQUIRE(q);
  CHECK(q->name() == "h12.mailhost.test.");
  CHECK(q->qtype == type_aaaa);
  CHECK(q->edns);
  CHECK(q->dnssec_ok);
  CHECK_FALSE(parse_query(wire.data(), 11));
  CHECK_FALSE(parse_query(wire.data(), q->question_end - 1));
  auto response = wire;
  response[2] |= 0x80;
  CHECK_FALSE(parse_query(response.data(), response.size()));
  auto root = query_wire(".", LDNS_RR_TYPE_NS, false);
  CHECK(parse_query(root.data(), root.size())->name() == ".");
}

TEST_CASE("farm wire: an address answer keeps the id and question, records point at the qname") {
  ZoneModel m;
  Plan plan;
  plan.respond = true;
  plan.recursion_available = true;
  plan.content = Content::addresses;
  plan.addresses = true_answer(m, 12, false);
  const Reply r = reply_to(query_wire("H12.mailhost.test.", LDNS_RR_TYPE_A, true, true), plan);
  INFO(r.text);
  CHECK(ldns_pkt_id(r.packet.get()) == 0x1234);
  CHECK(ldns_pkt_qr(r.packet.get()));
  CHECK(ldns_pkt_ra(r.packet.get()));
  CHECK(ldns_pkt_rd(r.packet.get()));
  CHECK_FALSE(ldns_pkt_aa(r.packet.get()));
  CHECK(ldns_pkt_ancount(r.packet.get()) == plan.addresses.v4_count);
  CHECK(ldns_pkt_edns_do(r.packet.get()));
  CHECK(r.text.find("H12.mailhost.test.\t" + std::to_string(plan.addresses.ttl) + "\tIN\tA\t" +
                    ipv4_string(plan.addresses.v4[0])) != std::string::npos);
}

TEST_CASE("farm wire: a referral with glue, a negative answer with the SOA") {
  ZoneModel m;
  const Plan referral = authority_plan(m, AuthServer::root_server(), classify(m, "h1.mailhost.test."), type_a);
  const Reply r = reply_to(query_wire("h1.mailhost.test.", LDNS_RR_TYPE_A, false), referral);
  INFO(r.text);
  CHECK(ldns_pkt_nscount(r.packet.get()) == 2);
  CHECK(ldns_pkt_arcount(r.packet.get()) == 2);
  CHECK(r.text.find("mailhost.test.\t86400\tIN\tNS\tns1.mailhost.test.") != std::string::npos);
  CHECK(r.text.find("ns2.mailhost.test.\t86400\tIN\tA\t127.61.0.3") != std::string::npos);

  const Plan nxdomain = authority_plan(m, AuthServer::of_zone(0, 0), classify(m, "nothing.mailhost.test."), type_a);
  const Reply n = reply_to(query_wire("nothing.mailhost.test.", LDNS_RR_TYPE_A, false), nxdomain);
  INFO(n.text);
  CHECK(ldns_pkt_get_rcode(n.packet.get()) == LDNS_RCODE_NXDOMAIN);
  CHECK(ldns_pkt_aa(n.packet.get()));
  CHECK(n.text.find("mailhost.test.\t3600\tIN\tSOA\tns1.mailhost.test. hostmaster.mailhost.test. 1 7200") !=
        std::string::npos);

  const Plan root_ns = authority_plan(m, AuthServer::root_server(), classify(m, "."), type_ns);
  const Reply rn = reply_to(query_wire(".", LDNS_RR_TYPE_NS, false), root_ns);
  INFO(rn.text);
  CHECK(rn.text.find(".\t3600\tIN\tNS\ta.farm-root.") != std::string::npos);
  CHECK(rn.text.find("a.farm-root.\t3600\tIN\tA\t127.61.0.1") != std::string::npos);

  const Plan outside = authority_plan(m, AuthServer::root_server(), classify(m, "example.com."), type_a);
  const Reply o = reply_to(query_wire("example.com.", LDNS_RR_TYPE_A, false), outside);
  INFO(o.text);
  CHECK(o.text.find(".\t3600\tIN\tSOA\ta.farm-root. hostmaster.farm-root.") != std::string::npos);
}

TEST_CASE("farm wire: with K zones, a zone's referral, glue, SOA and server addresses are its own") {
  ZoneModel m;
  m.zones = 50;
  m.names = 100;
  const Plan referral = authority_plan(m, AuthServer::root_server(), classify(m, "h53.z3.mailhost.test."), type_a);
  const Reply r = reply_to(query_wire("h53.z3.mailhost.test.", LDNS_RR_TYPE_A, false), referral, m);
  INFO(r.text);
  CHECK(ldns_pkt_nscount(r.packet.get()) == 2);
  CHECK(ldns_pkt_arcount(r.packet.get()) == 2);
  CHECK(r.text.find("z3.mailhost.test.\t86400\tIN\tNS\tns1.z3.mailhost.test.") != std::string::npos);
  CHECK(r.text.find("ns1.z3.mailhost.test.\t86400\tIN\tA\t127.61.0.8") != std::string::npos);
  CHECK(r.text.find("ns2.z3.mailhost.test.\t86400\tIN\tA\t127.61.0.9") != std::string::npos);

  const Plan nxdomain =
      authority_plan(m, AuthServer::of_zone(3, 0), classify(m, "nothing.z3.mailhost.test."), type_a);
  const Reply n = reply_to(query_wire("nothing.z3.mailhost.test.", LDNS_RR_TYPE_A, false), nxdomain, m);
  INFO(n.text);
  CHECK(ldns_pkt_get_rcode(n.packet.get()) == LDNS_RCODE_NXDOMAIN);
  CHECK(n.text.find("z3.mailhost.test.\t3600\tIN\tSOA\tns1.z3.mailhost.test. hostmaster.z3.mailhost.test. 1") !=
        std::string::npos);

  const Plan apex_ns = authority_plan(m, AuthServer::of_zone(49, 1), classify(m, "z49.mailhost.test."), type_ns);
  const Reply a = reply_to(query_wire("z49.mailhost.test.", LDNS_RR_TYPE_NS, false), apex_ns, m);
  INFO(a.text);
  CHECK(a.text.find("ns2.z49.mailhost.test.\t3600\tIN\tA\t127.61.0.101") != std::string::npos);

  const Plan server = authority_plan(m, AuthServer::of_zone(3, 1), classify(m, "ns2.z3.mailhost.test."), type_a);
  const Reply s = reply_to(query_wire("ns2.z3.mailhost.test.", LDNS_RR_TYPE_A, false), server, m);
  INFO(s.text);
  CHECK(s.text.find("ns2.z3.mailhost.test.\t3600\tIN\tA\t127.61.0.9") != std::string::npos);
}
