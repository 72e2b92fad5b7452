// dns_wire: names to and from wire form, query building, the RFC 5452 question checks and the
// bounds-checked structural walk.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/ldns_include.h"

namespace wire = mxsentry::wire;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct PktFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktFree>;

// A tiny hand-assembler for DNS messages, so that tests can place every byte.
struct Msg {
  Bytes b;
  Msg& u8(std::uint8_t v) {
    b.push_back(v);
    return *this;
  }
  Msg& u16(std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  Msg& u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    return u16(static_cast<std::uint16_t>(v));
  }
  Msg& header(std::uint16_t id, std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns,
              std::uint16_t ar) {
    return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }
  Msg& raw(std::string_view s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Msg& label(std::string_view s) {
    u8(static_cast<std::uint8_t>(s.size()));
    return raw(s);
  }
  Msg& ptr(std::size_t offset) { return u16(static_cast<std::uint16_t>(0xc000 | offset)); }
  Msg& question(std::string_view qname_wire, std::uint16_t type, std::uint16_t klass = 1) {
    return raw(qname_wire).u16(type).u16(klass);
  }
  // Fixed part of a record after its owner name, followed by rdata.
  Msg& rr_tail(std::uint16_t type, std::uint16_t klass, std::uint32_t ttl, const Bytes& rdata) {
    u16(type).u16(klass).u32(ttl).u16(static_cast<std::uint16_t>(rdata.size()));
    b.insert(b.end(), rdata.begin(), rdata.end());
    return *this;
  }
  Msg& opt(std::uint16_t udp = 1232) { return u8(0).rr_tail(41, udp, 0, {}); }
  std::size_t size() const { return b.size(); }
};

std::string to_wire(std::string_view name) {
  auto w = wire::name_to_wire(name);
  REQUIRE(w.has_value());
  return *w;
}

std::string structure(const Bytes& b) { return wire::check_structure(b); }

Bytes prefix(const Bytes& b, std::size_t n) { return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)); }

// A response to "example.com. A" built by hand: question + one A record in each section + OPT.
// Offsets: header 0..11, qname 12..24, qtype/qclass 25..28.
Bytes full_response() {
  Msg m;
  m.header(0x1234, 0x8180, 1, 1, 1, 2);
  m.question(to_wire("example.com."), 1);
  m.ptr(12).rr_tail(1, 1, 300, {192, 0, 2, 1});               // answer: 29..44
  m.ptr(12).rr_tail(2, 1, 300, {2, 'n', 's', 0xc0, 12});      // authority: 45..61
  m.label("ns").ptr(12).rr_tail(1, 1, 300, {192, 0, 2, 53});  // additional: 62..80
  m.opt();                                                    // 81..91
  return m.b;
}

// A response to "example.com. <type>" built from a query by build_query, with QR set.
Bytes response_to(std::string_view qname_wire, std::uint16_t qtype) {
  Bytes out;
  wire::QueryFields f;
  f.id = 7;
  f.qtype = qtype;
  f.edns = false;
  wire::build_query(qname_wire, f, out);
  out[2] |= 0x80;
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// name_to_wire / wire_to_name

TEST_CASE("name_to_wire encodes absolute and relative names identically", "[wire]") {
  const std::string expected("\x07" "example\x03" "com\x00", 13);
  CHECK(to_wire("example.com.") == expected);
  CHECK(to_wire("example.com") == expected);
  CHECK(to_wire(".") == std::string(1, '\0'));
  CHECK(to_wire("MX.Example.COM.") == std::string("\x02" "MX\x07" "Example\x03" "COM\x00", 16));
}

TEST_CASE("name_to_wire handles presentation escapes", "[wire]") {
  CHECK(to_wire("a\\.b.c.") == std::string("\x03" "a.b\x01" "c\x00", 7));
  CHECK(to_wire("a\\032b.") == std::string("\x03" "a b\x00", 5));
  CHECK(to_wire("a\\255.") == std::string("\x02" "a\xff\x00", 4));
  CHECK(to_wire("\\065B.c") == std::string("\x02" "AB\x01" "c\x00", 6));
  CHECK(to_wire("a\\\\b.") == std::string("\x03" "a\\b\x00", 5));
}

TEST_CASE("name_to_wire rejects bad names with a reason", "[wire]") {
  std::string error;
  CHECK_FALSE(wire::name_to_wire("", &error).has_value());
  CHECK(error == "empty name");

  error.clear();
  CHECK_FALSE(wire::name_to_wire("a..b", &error).has_value());
  CHECK(error.rfind("bad name 'a..b': ", 0) == 0);
  CHECK(error.size() > std::string("bad name 'a..b': ").size());

  // 63 octets is the largest label; 64 is refused.
  const std::string l63(63, 'a'), l64(64, 'a');
  CHECK(to_wire(l63 + ".").size() == 65);
  error.clear();
  CHECK_FALSE(wire::name_to_wire(l64 + ".com.", &error).has_value());
  CHECK(error.rfind("bad name '" + l64 + ".com.': ", 0) == 0);

  // 255 octets in wire form is the largest name; 256 is refused.
  const std::string n255 = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b') + ".";
  CHECK(to_wire(n255).size() == 255);
  const std::string n256 = l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b') + ".";
  error.clear();
  CHECK_FALSE(wire::name_to_wire(n256, &error).has_value());
  CHECK(error.rfind("bad name '", 0) == 0);

  CHECK_FALSE(wire::name_to_wire("..").has_value());  // no error pointer: still just nullopt
}

TEST_CASE("wire_to_name prints presentation format with escapes", "[wire]") {
  CHECK(wire::wire_to_name(to_wire("example.com")) == "example.com.");
  CHECK(wire::wire_to_name(std::string(1, '\0')) == ".");
  CHECK(wire::wire_to_name("") == ".");
  CHECK(wire::wire_to_name(std::string("\x03" "a.b\x01" "c\x00", 7)) == "a\\.b.c.");
  CHECK(wire::wire_to_name(std::string("\x03" "a\\b\x00", 5)) == "a\\\\b.");
  CHECK(wire::wire_to_name(std::string("\x03" "a b\x00", 5)) == "a\\032b.");
  CHECK(wire::wire_to_name(std::string("\x03" "\x00\x7f\xff\x00", 5)) == "\\000\\127\\255.");
  CHECK(wire::wire_to_name(std::string("\x02" "Ab\x00", 4)) == "Ab.");  // case is kept
  // A label running past the end stops the walk.
  CHECK(wire::wire_to_name(std::string("\x01" "a\x05" "bc", 5)) == "a.");
}

TEST_CASE("wire_to_name escapes exactly as ldns does, for every octet", "[wire]") {
  for (int c = 0; c < 256; ++c) {
    std::string w;
    w += '\x03';
    w += 'a';
    w += static_cast<char>(c);
    w += 'b';
    w += '\0';
    ldns_rdf* rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, w.size(), w.data());
    REQUIRE(rdf != nullptr);
    char* text = ldns_rdf2str(rdf);
    REQUIRE(text != nullptr);
    const std::string expected(text);
    std::free(text);
    ldns_rdf_deep_free(rdf);
    INFO("octet " << c);
    CHECK(wire::wire_to_name(w) == expected);
  }
  // The documented escapes, spelled out.
  CHECK(wire::wire_to_name(std::string("\x05" ".;()\\\x00", 7)) == "\\.\\;\\(\\)\\\\.");
  CHECK(wire::wire_to_name(std::string("\x04" "\"@$*\x00", 6)) == "\"@$*.");
  // A length octet above 63 (a pointer or an extended label) ends the walk.
  CHECK(wire::wire_to_name(std::string("\x01" "a\xc0\x0c", 4)) == "a.");
}

TEST_CASE("name_to_wire agrees with ldns_str2rdf_dname", "[wire]") {
  const std::string l63(63, 'a'), l64(64, 'a');
  const std::string names[] = {".", "a", "a.", ".a", "a..", "..", "...", ".a.", "a b", "@", "*.example",
                               "a.b.c...", "a\"b", "a;b", "a(b)", "exa\x80mple.", "x.y.z.", "MiXeD.CaSe.",
                               l63, l64, l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b'),
                               l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b'),
                               l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b') + ".",
                               "a\\.b.", "\\065.", "a\\"};
  for (const std::string& name : names) {
    INFO("name '" << name << "'");
    ldns_rdf* rdf = nullptr;
    const bool ldns_ok = ldns_str2rdf_dname(&rdf, name.c_str()) == LDNS_STATUS_OK && rdf != nullptr;
    std::string error;
    auto ours = wire::name_to_wire(name, &error);
    CHECK(ours.has_value() == ldns_ok);
    if (ours && ldns_ok) CHECK(*ours == std::string(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf)));
    if (!ours) CHECK(error.rfind("bad name '" + name + "': ", 0) == 0);
    if (rdf) ldns_rdf_deep_free(rdf);
  }
}

TEST_CASE("wire_to_name and name_to_wire round-trip every octet value", "[wire]") {
  for (int start = 0; start < 256; start += 60) {
    std::string w;
    std::string label;
    for (int c = start; c < start + 60 && c < 256; ++c) label += static_cast<char>(c);
    w += static_cast<char>(label.size());
    w += label;
    w += "\x03" "com";
    w += '\0';
    INFO("labels starting at octet " << start);
    std::string text = wire::wire_to_name(w);
    std::string error;
    auto back = wire::name_to_wire(text, &error);
    INFO(error);
    REQUIRE(back.has_value());
    CHECK(*back == w);
  }
}

// ---------------------------------------------------------------------------------------------
// build_query

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

  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_wire2pkt(&raw, out.data(), out.size()) == LDNS_STATUS_OK);
  PktPtr pkt(raw);
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

  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_wire2pkt(&raw, out.data(), out.size()) == LDNS_STATUS_OK);
  PktPtr pkt(raw);
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

  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_wire2pkt(&raw, out.data(), out.size()) == LDNS_STATUS_OK);
  PktPtr pkt(raw);
  CHECK(ldns_pkt_id(pkt.get()) == 0xffff);
  CHECK(ldns_pkt_rd(pkt.get()));
  CHECK_FALSE(ldns_pkt_qr(pkt.get()));
  CHECK_FALSE(ldns_pkt_edns(pkt.get()));
  CHECK(ldns_pkt_arcount(pkt.get()) == 0);
  CHECK(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(pkt.get()), 0)) == LDNS_RR_TYPE_TXT);
  CHECK(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_question(pkt.get()), 0)) == LDNS_RR_CLASS_IN);
}

// ---------------------------------------------------------------------------------------------
// check_question

TEST_CASE("QuestionCheck names", "[wire]") {
  using wire::QuestionCheck;
  CHECK(std::string(wire::to_string(QuestionCheck::match)) == "match");
  CHECK(std::string(wire::to_string(QuestionCheck::too_short)) == "truncated in header or question");
  CHECK(std::string(wire::to_string(QuestionCheck::not_a_response)) == "QR bit not set");
  CHECK(std::string(wire::to_string(QuestionCheck::wrong_opcode)) == "opcode is not QUERY");
  CHECK(std::string(wire::to_string(QuestionCheck::wrong_question_count)) == "question count is not 1");
  CHECK(std::string(wire::to_string(QuestionCheck::wrong_question)) == "question differs");
}

TEST_CASE("check_question accepts our question, names case-insensitively", "[wire]") {
  using wire::QuestionCheck;
  const std::string ours = to_wire("mx.example.com.");
  CHECK(wire::check_question(response_to(ours, 15), ours, 15) == QuestionCheck::match);
  CHECK(wire::check_question(response_to(to_wire("MX.Example.COM."), 15), ours, 15) == QuestionCheck::match);
  CHECK(wire::check_question(response_to(ours, 15), to_wire("mX.eXaMpLe.cOm."), 15) == QuestionCheck::match);
  // A full response with records after the question still matches.
  CHECK(wire::check_question(full_response(), to_wire("EXAMPLE.com"), 1) == QuestionCheck::match);
  // Only ASCII letters fold: 0xC1 and 0xE1 are different octets.
  CHECK(wire::check_question(response_to(to_wire("\\193.com."), 1), to_wire("\\225.com."), 1) ==
        QuestionCheck::wrong_question);
  // '@' (0x40) and '`' (0x60) are not letters either.
  CHECK(wire::check_question(response_to(to_wire("@.com."), 1), to_wire("`.com."), 1) ==
        QuestionCheck::wrong_question);
}

TEST_CASE("check_question rejects a different question", "[wire]") {
  using wire::QuestionCheck;
  const std::string ours = to_wire("example.com.");
  CHECK(wire::check_question(response_to(ours, 28), ours, 1) == QuestionCheck::wrong_question);
  CHECK(wire::check_question(response_to(to_wire("example.org."), 1), ours, 1) == QuestionCheck::wrong_question);
  CHECK(wire::check_question(response_to(to_wire("www.example.com."), 1), ours, 1) ==
        QuestionCheck::wrong_question);
  CHECK(wire::check_question(response_to(to_wire("example.con."), 1), ours, 1) == QuestionCheck::wrong_question);
  CHECK(wire::check_question(response_to(to_wire("example.cox."), 1), ours, 1) == QuestionCheck::wrong_question);
  // A shorter question name: the bytes after it are read as the rest of our name.
  Bytes shorter = Msg().header(1, 0x8000, 1, 0, 0, 0).question(to_wire("example.co."), 1).u32(0).b;
  CHECK(wire::check_question(shorter, ours, 1) == QuestionCheck::wrong_question);
  // In a message that ends right after it, it is reported as a short message; either way not a match.
  CHECK(wire::check_question(response_to(to_wire("example.co."), 1), ours, 1) == QuestionCheck::too_short);

  // Wrong class: CH instead of IN.
  Bytes chaos = Msg().header(1, 0x8000, 1, 0, 0, 0).question(ours, 1, 3).b;
  CHECK(wire::check_question(chaos, ours, 1) == QuestionCheck::wrong_question);
  Bytes in = Msg().header(1, 0x8000, 1, 0, 0, 0).question(ours, 1, 1).b;
  CHECK(wire::check_question(in, ours, 1) == QuestionCheck::match);

  // A compressed question name is not ours (nothing before it to point at).
  Bytes compressed = Msg().header(1, 0x8000, 1, 0, 0, 0).ptr(12).u16(1).u16(1).b;
  CHECK(wire::check_question(compressed, to_wire("."), 1) == QuestionCheck::wrong_question);
}

TEST_CASE("check_question header checks", "[wire]") {
  using wire::QuestionCheck;
  const std::string ours = to_wire("example.com.");

  // QR=0: a query, not a response.
  Bytes query = Msg().header(1, 0x0100, 1, 0, 0, 0).question(ours, 1).b;
  CHECK(wire::check_question(query, ours, 1) == QuestionCheck::not_a_response);

  // Opcodes other than QUERY (0): IQUERY 1, STATUS 2, NOTIFY 4, UPDATE 5, 15.
  for (std::uint16_t opcode : {1, 2, 4, 5, 15}) {
    INFO("opcode " << opcode);
    Bytes p = Msg().header(1, static_cast<std::uint16_t>(0x8000 | (opcode << 11)), 1, 0, 0, 0).question(ours, 1).b;
    CHECK(wire::check_question(p, ours, 1) == QuestionCheck::wrong_opcode);
  }
  // All the other flag bits and any rcode leave a QUERY response alone.
  Bytes flags = Msg().header(1, 0x87ff, 1, 0, 0, 0).question(ours, 1).b;
  CHECK(wire::check_question(flags, ours, 1) == QuestionCheck::match);

  // QDCOUNT 0 and 2.
  Bytes none = Msg().header(1, 0x8000, 0, 0, 0, 0).b;
  CHECK(wire::check_question(none, ours, 1) == QuestionCheck::wrong_question_count);
  Bytes two = Msg().header(1, 0x8000, 2, 0, 0, 0).question(ours, 1).question(ours, 1).b;
  CHECK(wire::check_question(two, ours, 1) == QuestionCheck::wrong_question_count);
  Bytes many = Msg().header(1, 0x8000, 0x0101, 0, 0, 0).question(ours, 1).b;
  CHECK(wire::check_question(many, ours, 1) == QuestionCheck::wrong_question_count);

  // A bare error (REFUSED, FORMERR: Unbound refuses without the question) is accepted, but only
  // with an error rcode and no records besides an OPT: nothing can be injected that way.
  CHECK(wire::check_question(Msg().header(1, 0x8005, 0, 0, 0, 0).b, ours, 1) == QuestionCheck::error_without_question);
  CHECK(wire::check_question(Msg().header(1, 0x8001, 0, 0, 0, 1).opt().b, ours, 1) ==
        QuestionCheck::error_without_question);
  CHECK(wire::check_question(Msg().header(1, 0x8005, 0, 1, 0, 0).b, ours, 1) == QuestionCheck::wrong_question_count);
  CHECK(wire::check_question(Msg().header(1, 0x8005, 0, 0, 1, 0).b, ours, 1) == QuestionCheck::wrong_question_count);
  CHECK(wire::check_question(Msg().header(1, 0x8005, 0, 0, 0, 2).b, ours, 1) == QuestionCheck::wrong_question_count);

  // Order of the checks: QR before opcode before count.
  Bytes all_wrong = Msg().header(1, 0x0800, 2, 0, 0, 0).b;
  CHECK(wire::check_question(all_wrong, ours, 1) == QuestionCheck::not_a_response);
  Bytes opcode_and_count = Msg().header(1, 0x8800, 0, 0, 0, 0).b;
  CHECK(wire::check_question(opcode_and_count, ours, 1) == QuestionCheck::wrong_opcode);
}

TEST_CASE("check_question on short packets", "[wire]") {
  using wire::QuestionCheck;
  const std::string ours = to_wire("example.com.");
  const Bytes good = response_to(ours, 1);
  REQUIRE(good.size() == 12 + 13 + 4);
  CHECK(wire::check_question(Bytes{}, ours, 1) == QuestionCheck::too_short);
  CHECK(wire::check_question(prefix(good, 11), ours, 1) == QuestionCheck::too_short);
  // Header complete but the question cut anywhere.
  for (std::size_t n = 12; n < good.size(); ++n) {
    INFO("cut at " << n);
    CHECK(wire::check_question(prefix(good, n), ours, 1) == QuestionCheck::too_short);
  }
  CHECK(wire::check_question(good, ours, 1) == QuestionCheck::match);
}

// ---------------------------------------------------------------------------------------------
// check_structure

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

// An embedded NUL once cut a name short on its way into ldns ("a\.b<NUL>junk.example" became
// "a\.b."). Raw control bytes are now refused on both paths; \DDD spells them.
TEST_CASE("name_to_wire refuses raw control bytes instead of truncating at a NUL", "[wire]") {
  std::string error;
  CHECK_FALSE(wire::name_to_wire(std::string_view("a\\.b\0junk.example", 17), &error).has_value());
  CHECK(error.find("control character") != std::string::npos);
  CHECK_FALSE(wire::name_to_wire(std::string_view("ab\0junk.example", 15)).has_value());
  CHECK_FALSE(wire::name_to_wire("tab\there.example").has_value());
  auto spelled = wire::name_to_wire("ab\\000junk.example");
  REQUIRE(spelled.has_value());
  CHECK(*spelled == to_wire("ab\\000junk.example."));
}
