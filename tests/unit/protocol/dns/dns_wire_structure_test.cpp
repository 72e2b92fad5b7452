// dns_wire structure checks: the bounds-checked walk over every record that catches what ldns
// lets through.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"
#include "tests/unit/protocol/dns/dns_message_builder.h"

namespace wire = mxsentry::wire;
using namespace mxsentry::test;  // the message assembler and samples

namespace {

std::string structure(const Bytes& b) { return wire::check_structure(b); }

}  // namespace

TEST_CASE("check_structure accepts a compressed ldns-built response", "[wire]") {
  ldns_pkt* p = ldns_pkt_new();
  REQUIRE(p != nullptr);
  PktPtr pkt(p);
  ldns_pkt_set_id(p, 0x2222);
  ldns_pkt_set_qr(p, true);
  ldns_pkt_set_rd(p, true);
  ldns_pkt_set_ra(p, true);
  auto push = [&](ldns_pkt_section section, const char* text, bool question = false) {
    ldns_rr* rr = nullptr;
    ldns_status s = question ? ldns_rr_new_question_frm_str(&rr, text, nullptr, nullptr)
                             : ldns_rr_new_frm_str(&rr, text, 0, nullptr, nullptr);
    REQUIRE(s == LDNS_STATUS_OK);
    REQUIRE(ldns_pkt_push_rr(p, section, rr));
  };
  push(LDNS_SECTION_QUESTION, "example.com. IN MX", true);
  push(LDNS_SECTION_ANSWER, "example.com. 300 IN MX 10 mail.example.com.");
  push(LDNS_SECTION_ANSWER, "example.com. 300 IN MX 20 mail2.example.com.");
  push(LDNS_SECTION_AUTHORITY, "example.com. 300 IN NS ns1.example.com.");
  push(LDNS_SECTION_ADDITIONAL, "mail.example.com. 300 IN A 192.0.2.25");
  push(LDNS_SECTION_ADDITIONAL, "ns1.example.com. 300 IN AAAA 2001:db8::53");
  ldns_pkt_set_edns_udp_size(p, 1232);
  ldns_pkt_set_edns_do(p, true);

  std::uint8_t* data = nullptr;
  std::size_t size = 0;
  REQUIRE(ldns_pkt2wire(&data, p, &size) == LDNS_STATUS_OK);
  Bytes packet(data, data + size);
  free(data);

  // ldns compresses: the packet must contain at least one pointer, to offset 12.
  bool has_pointer = false;
  for (std::size_t i = 12; i + 1 < packet.size(); ++i)
    if (packet[i] == 0xc0 && packet[i + 1] == 0x0c) has_pointer = true;
  REQUIRE(has_pointer);

  CHECK(wire::check_structure(packet) == "");
  CHECK(wire::check_question(packet, to_wire("example.com."), 15) == wire::QuestionCheck::match);

  // Every proper prefix past the header fails, with a reason.
  for (std::size_t n = 12; n < packet.size(); ++n) {
    INFO("cut at " << n);
    CHECK_FALSE(wire::check_structure(prefix(packet, n)).empty());
  }
}

TEST_CASE("check_structure accepts hand-built messages", "[wire]") {
  CHECK(structure(full_response()) == "");
  CHECK(structure(Msg().header(0, 0, 0, 0, 0, 0).b) == "");  // header only
  Bytes q;
  wire::build_query(to_wire("example.com."), {}, q);
  CHECK(structure(q) == "");
}

TEST_CASE("check_structure reports trailing bytes", "[wire]") {
  Bytes p = full_response();
  p.push_back(0);
  CHECK(structure(p) == "1 trailing bytes after the last record");
  p.push_back(0);
  p.push_back(0);
  CHECK(structure(p) == "3 trailing bytes after the last record");
  Bytes header_only = Msg().header(0, 0, 0, 0, 0, 0).u8(0xff).b;
  CHECK(structure(header_only) == "1 trailing bytes after the last record");
}

TEST_CASE("check_structure reports a message shorter than the header", "[wire]") {
  CHECK(structure(Bytes{}) == "shorter than a DNS header");
  CHECK(structure(Bytes(11, 0)) == "shorter than a DNS header");
  CHECK(structure(Bytes(12, 0)) == "");
}

TEST_CASE("check_structure reports truncation in each section", "[wire]") {
  const Bytes p = full_response();
  REQUIRE(p.size() == 92);
  // Question: cut inside the name, then inside type/class.
  CHECK(structure(prefix(p, 12)) == "question section: name runs past the end of the message");
  CHECK(structure(prefix(p, 20)) == "question section: name runs past the end of the message");
  CHECK(structure(prefix(p, 25)) == "truncated in the question section");
  CHECK(structure(prefix(p, 28)) == "truncated in the question section");
  // Answer (29..44): in the owner pointer, in the fixed part, in the rdata.
  CHECK(structure(prefix(p, 29)) == "answer section: name runs past the end of the message");
  CHECK(structure(prefix(p, 30)) == "answer section: compression pointer cut off");
  CHECK(structure(prefix(p, 31)) == "truncated in the answer section");
  CHECK(structure(prefix(p, 40)) == "truncated in the answer section");
  CHECK(structure(prefix(p, 41)) == "truncated in the answer section");
  CHECK(structure(prefix(p, 44)) == "truncated in the answer section");
  // Authority (45..61).
  CHECK(structure(prefix(p, 45)) == "authority section: name runs past the end of the message");
  CHECK(structure(prefix(p, 50)) == "truncated in the authority section");
  CHECK(structure(prefix(p, 61)) == "truncated in the authority section");
  // Additional (62..80, then the OPT 81..91).
  CHECK(structure(prefix(p, 62)) == "additional section: name runs past the end of the message");
  CHECK(structure(prefix(p, 64)) == "additional section: name runs past the end of the message");
  CHECK(structure(prefix(p, 66)) == "additional section: compression pointer cut off");
  CHECK(structure(prefix(p, 70)) == "truncated in the additional section");
  CHECK(structure(prefix(p, 80)) == "truncated in the additional section");
  CHECK(structure(prefix(p, 81)) == "additional section: name runs past the end of the message");
  CHECK(structure(prefix(p, 91)) == "truncated in the additional section");
  CHECK(structure(p) == "");

  // Counts promising more records than there are.
  Bytes more = p;
  more[7] = 2;  // ANCOUNT 2: the authority record is read as the second answer, and so on
  CHECK(structure(more) == "additional section: name runs past the end of the message");
  Bytes rdlength = p;
  REQUIRE(rdlength[39] == 0);
  REQUIRE(rdlength[40] == 4);
  rdlength[40] = 0xff;  // answer RDLENGTH 4 -> 255, past the end of the message
  CHECK(structure(rdlength) == "truncated in the answer section");
}

TEST_CASE("check_structure catches compression pointer abuse", "[wire]") {
  SECTION("a pointer to itself is a loop") {
    Bytes p = Msg().header(1, 0x8000, 1, 0, 0, 0).ptr(12).u16(1).u16(1).b;
    CHECK(structure(p) == "question section: compression loop");
  }
  SECTION("a pointer to itself in the answer section") {
    Msg m;
    m.header(1, 0x8000, 1, 1, 0, 0).question(to_wire("a."), 1);  // question 12..18
    m.ptr(19).rr_tail(1, 1, 0, {1, 2, 3, 4});
    CHECK(structure(m.b) == "answer section: compression loop");
  }
  SECTION("a pointer forward is refused") {
    Msg m;
    m.header(1, 0x8000, 1, 1, 0, 0).question(to_wire("a."), 1);
    m.ptr(21).rr_tail(1, 1, 0, {1, 2, 3, 4});  // points into its own fixed fields
    CHECK(structure(m.b) == "answer section: forward compression pointer");
    Bytes q = Msg().header(1, 0x8000, 1, 0, 0, 0).ptr(14).u16(1).u16(1).b;
    CHECK(structure(q) == "question section: forward compression pointer");
  }
  SECTION("a pointer past the end is forward") {
    Bytes q = Msg().header(1, 0x8000, 1, 0, 0, 0).ptr(0x3fff).u16(1).u16(1).b;
    CHECK(structure(q) == "question section: forward compression pointer");
  }
  SECTION("a backward pointer into a cycle is caught by the hop limit") {
    // Question name at 12: label "a" then a pointer back to 12.
    Bytes q = Msg().header(1, 0x8000, 1, 0, 0, 0).label("a").ptr(12).u16(1).u16(1).b;
    // The label adds 2 octets per turn (255 / 2 > 64 hops), so the hop limit trips first.
    CHECK(structure(q) == "question section: too many compression pointers");
  }
  SECTION("a pointer chain of 64 hops passes, 65 is too long") {
    // Question "." at 12 (12..16). An answer whose rdata (type NULL) is a chain of pointers,
    // each to the previous one, the first to the root name at 12; then a second answer whose
    // owner points at the end of the chain.
    auto build = [](int rdata_pointers) {
      Msg m;
      m.header(1, 0x8000, 1, 2, 0, 0).question(std::string(1, '\0'), 1);
      const std::size_t rdata_at = m.size() + 1 + 10;  // owner "." + fixed fields
      Bytes chain;
      for (int k = 0; k < rdata_pointers; ++k) {
        std::size_t target = k == 0 ? 12 : rdata_at + 2 * (k - 1);
        chain.push_back(static_cast<std::uint8_t>(0xc0 | (target >> 8)));
        chain.push_back(static_cast<std::uint8_t>(target));
      }
      m.u8(0).rr_tail(10, 1, 0, chain);
      m.ptr(rdata_at + 2 * (rdata_pointers - 1)).rr_tail(1, 1, 0, {192, 0, 2, 1});
      return m.b;
    };
    CHECK(structure(build(1)) == "");
    CHECK(structure(build(63)) == "");  // 1 + 63 = 64 hops
    CHECK(structure(build(64)) == "answer section: too many compression pointers");  // 65 hops
    CHECK(structure(build(100)) == "answer section: too many compression pointers");
  }
  SECTION("a pointer into the header is refused, though it reads as a name") {
    // Offset 4 holds QDCOUNT 0x0001: its high octet 0 reads as the root name. ldns accepts it.
    Msg m;
    m.header(1, 0x8000, 1, 1, 0, 0).question(to_wire("a."), 1);
    m.ptr(4).rr_tail(1, 1, 0, {1, 2, 3, 4});
    CHECK(structure(m.b) == "answer section: compression pointer into the header");
    Msg ok;
    ok.header(1, 0x8000, 1, 1, 0, 0).question(to_wire("a."), 1);
    ok.ptr(12).rr_tail(1, 1, 0, {1, 2, 3, 4});  // the lowest offset past the header
    CHECK(structure(ok.b) == "");
  }
  SECTION("compression pointer cut off at the end") {
    Bytes q = Msg().header(1, 0x8000, 1, 0, 0, 0).label("a").u8(0xc0).b;
    CHECK(structure(q) == "question section: compression pointer cut off");
  }
}

TEST_CASE("check_structure refuses extended label types", "[wire]") {
  Bytes p40 = Msg().header(1, 0x8000, 1, 0, 0, 0).u8(0x41).u8(0).u16(1).u16(1).b;
  CHECK(structure(p40) == "question section: unsupported label type");
  Bytes p80 = Msg().header(1, 0x8000, 1, 0, 0, 0).label("ab").u8(0x80).u8(0).u16(1).u16(1).b;
  CHECK(structure(p80) == "question section: unsupported label type");
  Msg m;
  m.header(1, 0x8000, 0, 0, 0, 1).u8(0x40).rr_tail(1, 1, 0, {});
  CHECK(structure(m.b) == "additional section: unsupported label type");
}

TEST_CASE("check_structure limits names to 255 octets", "[wire]") {
  const std::string l63(63, 'x');
  auto with_name = [](const std::string& name_wire) {
    return Msg().header(1, 0x8000, 1, 0, 0, 0).raw(name_wire).u16(1).u16(1).b;
  };
  std::string n255 = to_wire(l63 + "." + l63 + "." + l63 + "." + std::string(61, 'y') + ".");
  REQUIRE(n255.size() == 255);
  CHECK(structure(with_name(n255)) == "");
  // One more octet in the last label (built by hand: name_to_wire refuses it).
  std::string n256 = n255.substr(0, 192);
  n256 += static_cast<char>(62);
  n256 += std::string(62, 'y');
  n256 += '\0';
  REQUIRE(n256.size() == 256);
  CHECK(structure(with_name(n256)) == "question section: name longer than 255 octets");

  // Also when the name is assembled through a pointer: 3 x 63 in the question, then an answer
  // owner with two more 63-octet labels pointing at it.
  std::string n193 = to_wire(l63 + "." + l63 + "." + l63 + ".");
  REQUIRE(n193.size() == 193);
  Msg m;
  m.header(1, 0x8000, 1, 1, 0, 0).raw(n193).u16(1).u16(1);
  m.label(l63).ptr(12).rr_tail(1, 1, 0, {1, 2, 3, 4});  // 64 + 193 = 257
  CHECK(structure(m.b) == "answer section: name longer than 255 octets");
  Msg ok;
  ok.header(1, 0x8000, 1, 1, 0, 0).raw(n193).u16(1).u16(1);
  ok.label(std::string(61, 'z')).ptr(12).rr_tail(1, 1, 0, {1, 2, 3, 4});  // 62 + 193 = 255
  CHECK(structure(ok.b) == "");
}

TEST_CASE("check_structure allows one OPT record, in the additional section", "[wire]") {
  const std::string q = to_wire("example.");
  Bytes one = Msg().header(1, 0x8000, 1, 0, 0, 1).question(q, 1).opt().b;
  CHECK(structure(one) == "");
  Bytes two = Msg().header(1, 0x8000, 1, 0, 0, 2).question(q, 1).opt().opt(4096).b;
  CHECK(structure(two) == "more than one OPT record");
  Bytes in_answer = Msg().header(1, 0x8000, 1, 1, 0, 0).question(q, 1).opt().b;
  CHECK(structure(in_answer) == "OPT record outside the additional section");
  Bytes in_authority = Msg().header(1, 0x8000, 1, 0, 1, 0).question(q, 1).opt().b;
  CHECK(structure(in_authority) == "OPT record outside the additional section");
  // A question of type OPT is not an OPT record.
  Bytes question_opt = Msg().header(1, 0x8000, 1, 0, 0, 0).question(q, 41).b;
  CHECK(structure(question_opt) == "");
}
