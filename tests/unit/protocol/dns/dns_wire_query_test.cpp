// dns_wire query building: the exact bytes build_query writes, and what ldns reads in them.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"
#include "tests/unit/protocol/dns/dns_message_builder.h"

namespace wire = mxsentry::wire;
using namespace mxsentry::test;  // the message assembler and samples

TEST_CASE("build_query writes the exact bytes of a query with EDNS", "[wire]") {
  Bytes out{9, 9, 9};  // replaced, not appended to
  wire::QueryFields f;
  f.id = 0xbeef;
  f.qtype = 15;
  wire::build_query(to_wire("example.com."), f, out);
  const Bytes expected = Msg()
                             .header(0xbeef, 0x0100, 1, 0, 0, 1)
                             .question(to_wire("example.com."), 15)
                             .u8(0)
                             .u16(41)
                             .u16(1232)
                             .u16(0)
                             .u16(0x8000)
                             .u16(0)
                             .b;
  CHECK(out == expected);
  CHECK(out.size() == 12 + 13 + 4 + 11);
  CHECK(wire::check_structure(out).empty());
}

TEST_CASE("build_query output parses with ldns: header, question and OPT", "[wire]") {
  const std::string qname = to_wire("mx.example.org.");
  wire::QueryFields f;
  f.id = 0x4321;
  f.qtype = 28;
  Bytes out;
  wire::build_query(qname, f, out);

  PktPtr pkt = ldns_read(out);
  CHECK(ldns_pkt_id(pkt.get()) == 0x4321);
  CHECK_FALSE(ldns_pkt_qr(pkt.get()));
  CHECK(ldns_pkt_rd(pkt.get()));
  CHECK_FALSE(ldns_pkt_aa(pkt.get()));
  CHECK_FALSE(ldns_pkt_tc(pkt.get()));
  CHECK_FALSE(ldns_pkt_ra(pkt.get()));
  CHECK_FALSE(ldns_pkt_ad(pkt.get()));
  CHECK_FALSE(ldns_pkt_cd(pkt.get()));
  CHECK(ldns_pkt_get_opcode(pkt.get()) == LDNS_PACKET_QUERY);
  CHECK(ldns_pkt_get_rcode(pkt.get()) == 0);
  CHECK(ldns_pkt_qdcount(pkt.get()) == 1);
  CHECK(ldns_pkt_ancount(pkt.get()) == 0);
  CHECK(ldns_pkt_nscount(pkt.get()) == 0);

  const ldns_rr_list* q = ldns_pkt_question(pkt.get());
  REQUIRE(ldns_rr_list_rr_count(q) == 1);
  const ldns_rr* question = ldns_rr_list_rr(q, 0);
  CHECK(ldns_rr_get_type(question) == LDNS_RR_TYPE_AAAA);
  CHECK(ldns_rr_get_class(question) == LDNS_RR_CLASS_IN);
  char* owner = ldns_rdf2str(ldns_rr_owner(question));
  REQUIRE(owner != nullptr);
  CHECK(std::string(owner) == "mx.example.org.");
  free(owner);

  CHECK(ldns_pkt_edns(pkt.get()));
  CHECK(ldns_pkt_edns_udp_size(pkt.get()) == 1232);
  CHECK(ldns_pkt_edns_do(pkt.get()));
  CHECK(ldns_pkt_edns_version(pkt.get()) == 0);
  CHECK(ldns_pkt_edns_extended_rcode(pkt.get()) == 0);
  CHECK(ldns_rr_list_rr_count(ldns_pkt_additional(pkt.get())) == 0);  // the OPT is not a record
}

TEST_CASE("build_query with RD clear, DO clear and a custom UDP size", "[wire]") {
  wire::QueryFields f;
  f.id = 1;
  f.recursion_desired = false;
  f.dnssec_ok = false;
  f.udp_size = 4096;
  Bytes out;
  wire::build_query(to_wire("example."), f, out);
  CHECK(out[2] == 0x00);
  CHECK(out[3] == 0x00);

  PktPtr pkt = ldns_read(out);
  CHECK_FALSE(ldns_pkt_rd(pkt.get()));
  CHECK_FALSE(ldns_pkt_qr(pkt.get()));
  CHECK(ldns_pkt_get_opcode(pkt.get()) == LDNS_PACKET_QUERY);
  CHECK(ldns_pkt_edns_udp_size(pkt.get()) == 4096);
  CHECK_FALSE(ldns_pkt_edns_do(pkt.get()));
  CHECK(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(pkt.get()), 0)) == LDNS_RR_TYPE_A);
}

TEST_CASE("build_query without EDNS has no OPT record", "[wire]") {
  wire::QueryFields f;
  f.id = 0xffff;
  f.qtype = 16;
  f.edns = false;
  Bytes out;
  const std::string qname = to_wire("example.net.");
  wire::build_query(qname, f, out);
  CHECK(out.size() == 12 + qname.size() + 4);
  CHECK(out == Msg().header(0xffff, 0x0100, 1, 0, 0, 0).question(qname, 16).b);

  PktPtr pkt = ldns_read(out);
  CHECK(ldns_pkt_id(pkt.get()) == 0xffff);
  CHECK(ldns_pkt_rd(pkt.get()));
  CHECK_FALSE(ldns_pkt_qr(pkt.get()));
  CHECK_FALSE(ldns_pkt_edns(pkt.get()));
  CHECK(ldns_pkt_arcount(pkt.get()) == 0);
  CHECK(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(pkt.get()), 0)) == LDNS_RR_TYPE_TXT);
  CHECK(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_question(pkt.get()), 0)) == LDNS_RR_CLASS_IN);
}

