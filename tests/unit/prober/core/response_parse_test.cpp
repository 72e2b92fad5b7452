// parse_response on ldns-built messages, and the RR type mnemonics.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "protocol/dns/ldns_include.h"
#include "prober/core/response_parse.h"

using mxsentry::parse_response;
using mxsentry::ParsedResponse;
using mxsentry::ResourceRecord;
using mxsentry::rr_type_from_name;
using mxsentry::rr_type_name;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct PktFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};

// Builds a response with ldns: records are zone-file lines.
class PacketBuilder {
 public:
  PacketBuilder() : pkt_(ldns_pkt_new()) {
    REQUIRE(pkt_);
    ldns_pkt_set_id(pkt_.get(), 0x5151);
    ldns_pkt_set_qr(pkt_.get(), true);
    ldns_rr* q = nullptr;
    REQUIRE(ldns_rr_new_question_frm_str(&q, "example.com. IN A", nullptr, nullptr) == LDNS_STATUS_OK);
    REQUIRE(ldns_pkt_push_rr(pkt_.get(), LDNS_SECTION_QUESTION, q));
  }
  PacketBuilder& add(ldns_pkt_section section, const char* text) {
    ldns_rr* rr = nullptr;
    INFO(text);
    REQUIRE(ldns_rr_new_frm_str(&rr, text, 0, nullptr, nullptr) == LDNS_STATUS_OK);
    REQUIRE(ldns_pkt_push_rr(pkt_.get(), section, rr));
    return *this;
  }
  PacketBuilder& answer(const char* text) { return add(LDNS_SECTION_ANSWER, text); }
  PacketBuilder& authority(const char* text) { return add(LDNS_SECTION_AUTHORITY, text); }
  PacketBuilder& additional(const char* text) { return add(LDNS_SECTION_ADDITIONAL, text); }
  ldns_pkt* operator->() { return pkt_.get(); }
  ldns_pkt* get() { return pkt_.get(); }
  Bytes wire() {
    std::uint8_t* data = nullptr;
    std::size_t size = 0;
    REQUIRE(ldns_pkt2wire(&data, pkt_.get(), &size) == LDNS_STATUS_OK);
    Bytes out(data, data + size);
    std::free(data);
    return out;
  }
  ParsedResponse parse() {
    Bytes w = wire();
    std::string error;
    auto parsed = parse_response(w, &error);
    INFO(error);
    REQUIRE(parsed.has_value());
    CHECK(error.empty());
    return *parsed;
  }

 private:
  std::unique_ptr<ldns_pkt, PktFree> pkt_;
};

ResourceRecord rr(std::string name, std::uint16_t type, std::uint32_t ttl, std::string rdata) {
  ResourceRecord r;
  r.name = std::move(name);
  r.type = type;
  r.ttl = ttl;
  r.rdata = std::move(rdata);
  return r;
}

}  // namespace

TEST_CASE("parse_response: rcode, including extended rcodes from EDNS", "[parse]") {
  SECTION("NOERROR") {
    PacketBuilder b;
    CHECK(b.parse().rcode == 0);
  }
  SECTION("NXDOMAIN") {
    PacketBuilder b;
    ldns_pkt_set_rcode(b.get(), LDNS_RCODE_NXDOMAIN);
    CHECK(b.parse().rcode == 3);
  }
  SECTION("SERVFAIL and REFUSED") {
    PacketBuilder b;
    ldns_pkt_set_rcode(b.get(), LDNS_RCODE_SERVFAIL);
    CHECK(b.parse().rcode == 2);
    ldns_pkt_set_rcode(b.get(), LDNS_RCODE_REFUSED);
    CHECK(b.parse().rcode == 5);
  }
  SECTION("BADVERS (16) = extended 1, header 0") {
    PacketBuilder b;
    ldns_pkt_set_edns_udp_size(b.get(), 1232);
    ldns_pkt_set_edns_extended_rcode(b.get(), 1);
    ParsedResponse r = b.parse();
    CHECK(r.rcode == 16);
    CHECK(r.edns.present);
  }
  SECTION("23 = extended 1, header 7") {
    PacketBuilder b;
    ldns_pkt_set_rcode(b.get(), 7);
    ldns_pkt_set_edns_udp_size(b.get(), 1232);
    ldns_pkt_set_edns_extended_rcode(b.get(), 1);
    CHECK(b.parse().rcode == 23);
  }
  SECTION("the largest: extended 255, header 15 = 4095") {
    PacketBuilder b;
    ldns_pkt_set_rcode(b.get(), 15);
    ldns_pkt_set_edns_udp_size(b.get(), 512);
    ldns_pkt_set_edns_extended_rcode(b.get(), 255);
    CHECK(b.parse().rcode == 4095);
  }
}

TEST_CASE("parse_response: header flags", "[parse]") {
  PacketBuilder none;
  ParsedResponse r = none.parse();
  CHECK(r.flags == mxsentry::HeaderFlags{});
  CHECK_FALSE(r.truncated());

  struct FlagCase {
    const char* name;
    void (*set)(ldns_pkt*, bool);
    bool mxsentry::HeaderFlags::*field;
  };
  const FlagCase cases[] = {
      {"aa", ldns_pkt_set_aa, &mxsentry::HeaderFlags::aa}, {"tc", ldns_pkt_set_tc, &mxsentry::HeaderFlags::tc},
      {"rd", ldns_pkt_set_rd, &mxsentry::HeaderFlags::rd}, {"ra", ldns_pkt_set_ra, &mxsentry::HeaderFlags::ra},
      {"ad", ldns_pkt_set_ad, &mxsentry::HeaderFlags::ad}, {"cd", ldns_pkt_set_cd, &mxsentry::HeaderFlags::cd},
  };
  for (const FlagCase& c : cases) {
    INFO("flag " << c.name);
    PacketBuilder b;
    c.set(b.get(), true);
    ParsedResponse parsed = b.parse();
    mxsentry::HeaderFlags expected;
    expected.*c.field = true;
    CHECK(parsed.flags == expected);
    CHECK(parsed.truncated() == (std::string(c.name) == "tc"));
  }

  PacketBuilder all;
  for (const FlagCase& c : cases) c.set(all.get(), true);
  ParsedResponse parsed = all.parse();
  CHECK(parsed.flags == mxsentry::HeaderFlags{true, true, true, true, true, true});
  CHECK(parsed.truncated());
}

TEST_CASE("parse_response: rdata text of common types", "[parse]") {
  PacketBuilder b;
  b.answer("example.com. 300 IN A 192.0.2.1")
      .answer("example.com. 301 IN AAAA 2001:DB8:0:0::1")
      .answer("example.com. 302 IN MX 10 mail.example.com.")
      .answer("www.example.com. 303 IN CNAME target.example.net.")
      .answer("example.com. 304 IN TXT \"hello world\" \"x\"")
      .answer("x.example.com. 305 IN TYPE65280 \\# 3 010203");
  ParsedResponse r = b.parse();
  REQUIRE(r.answers.size() == 6);
  CHECK(r.answers[0] == rr("example.com.", 1, 300, "192.0.2.1"));
  CHECK(r.answers[1] == rr("example.com.", 28, 301, "2001:db8::1"));
  CHECK(r.answers[2] == rr("example.com.", 15, 302, "10 mail.example.com."));
  CHECK(r.answers[3] == rr("www.example.com.", 5, 303, "target.example.net."));
  CHECK(r.answers[4] == rr("example.com.", 16, 304, "\"hello world\" \"x\""));
  CHECK(r.answers[5] == rr("x.example.com.", 65280, 305, "\\# 3 010203"));
  CHECK(r.rrsigs.empty());
  CHECK(r.authority.empty());
}

TEST_CASE("parse_response: RRSIGs are separated from the answers, in order", "[parse]") {
  PacketBuilder b;
  b.answer("example.com. 300 IN MX 10 mail.example.com.")
      .answer("example.com. 300 IN RRSIG MX 8 2 300 20300101000000 20200101000000 12345 example.com. AAECAwQF")
      .answer("example.com. 300 IN MX 20 mail2.example.com.")
      .answer("example.com. 300 IN RRSIG MX 13 2 300 20300101000000 20200101000000 54321 example.com. BQQDAgEA");
  ParsedResponse r = b.parse();
  REQUIRE(r.answers.size() == 2);
  CHECK(r.answers[0] == rr("example.com.", 15, 300, "10 mail.example.com."));
  CHECK(r.answers[1] == rr("example.com.", 15, 300, "20 mail2.example.com."));
  REQUIRE(r.rrsigs.size() == 2);
  CHECK(r.rrsigs[0] ==
        rr("example.com.", 46, 300, "MX 8 2 300 20300101000000 20200101000000 12345 example.com. AAECAwQF"));
  CHECK(r.rrsigs[1] ==
        rr("example.com.", 46, 300, "MX 13 2 300 20300101000000 20200101000000 54321 example.com. BQQDAgEA"));
}

TEST_CASE("parse_response: the authority section is a summary without rdata", "[parse]") {
  PacketBuilder b;
  ldns_pkt_set_rcode(b.get(), LDNS_RCODE_NXDOMAIN);
  b.authority("example.com. 900 IN SOA ns1.example.com. host.example.com. 2024010101 7200 3600 1209600 300")
      .authority("example.com. 900 IN RRSIG SOA 8 2 900 20300101000000 20200101000000 12345 example.com. AAECAwQF")
      .authority("example.com. 86400 IN NS ns1.example.com.")
      .additional("ns1.example.com. 86400 IN A 192.0.2.53");
  ParsedResponse r = b.parse();
  CHECK(r.rcode == 3);
  CHECK(r.answers.empty());
  CHECK(r.rrsigs.empty());  // only answer-section RRSIGs go there
  REQUIRE(r.authority.size() == 3);
  CHECK(r.authority[0] == rr("example.com.", 6, 900, ""));
  CHECK(r.authority[1] == rr("example.com.", 46, 900, ""));
  CHECK(r.authority[2] == rr("example.com.", 2, 86400, ""));
}

TEST_CASE("parse_response: EDNS fields", "[parse]") {
  SECTION("absent") {
    PacketBuilder b;
    ParsedResponse r = b.parse();
    CHECK_FALSE(r.edns.present);
    CHECK(r.edns.udp_size == 0);
    CHECK(r.edns.version == 0);
    CHECK_FALSE(r.edns.do_bit);
  }
  SECTION("udp size and DO") {
    PacketBuilder b;
    ldns_pkt_set_edns_udp_size(b.get(), 4096);
    ldns_pkt_set_edns_do(b.get(), true);
    ParsedResponse r = b.parse();
    CHECK(r.edns.present);
    CHECK(r.edns.udp_size == 4096);
    CHECK(r.edns.version == 0);
    CHECK(r.edns.do_bit);
    CHECK(r.rcode == 0);
  }
  SECTION("without DO, version 1") {
    PacketBuilder b;
    ldns_pkt_set_edns_udp_size(b.get(), 1232);
    ldns_pkt_set_edns_version(b.get(), 1);
    ParsedResponse r = b.parse();
    CHECK(r.edns.present);
    CHECK(r.edns.udp_size == 1232);
    CHECK(r.edns.version == 1);
    CHECK_FALSE(r.edns.do_bit);
  }
  SECTION("hand-built OPT: udp 512, extended rcode 1, version 2, DO") {
    // Header: QR, rcode 0, QD 0, AN 0, NS 0, AR 1; OPT: root, type 41, class 512,
    // TTL = ext rcode 1 | version 2 | DO, rdlength 0.
    const Bytes packet = {0x12, 0x34, 0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 1,
                          0,    0,    41,   0x02, 0x00, 0x01, 0x02, 0x80, 0x00, 0, 0};
    std::string error;
    auto r = parse_response(packet, &error);
    INFO(error);
    REQUIRE(r.has_value());
    CHECK(r->edns.present);
    CHECK(r->edns.udp_size == 512);
    CHECK(r->edns.version == 2);
    CHECK(r->edns.do_bit);
    CHECK(r->rcode == 16);
  }
}

TEST_CASE("parse_response: garbage is a parse error with the ldns reason", "[parse]") {
  std::string error;
  const Bytes short_packet = {1, 2, 3, 4, 5};
  CHECK_FALSE(parse_response(short_packet, &error).has_value());
  CHECK(error == ldns_get_errorstr_by_id(LDNS_STATUS_WIRE_INCOMPLETE_HEADER));
  CHECK_FALSE(error.empty());

  // A header promising an answer that is not there.
  error.clear();
  const Bytes missing = {0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  CHECK_FALSE(parse_response(missing, &error).has_value());
  CHECK_FALSE(error.empty());

  // Without an error pointer.
  CHECK_FALSE(parse_response(short_packet, nullptr).has_value());
  CHECK_FALSE(parse_response(Bytes{}, nullptr).has_value());

  // A header alone is a valid (empty) response.
  const Bytes header_only = {0, 1, 0x81, 0x83, 0, 0, 0, 0, 0, 0, 0, 0};
  error.clear();
  auto r = parse_response(header_only, &error);
  REQUIRE(r.has_value());
  CHECK(r->rcode == 3);
  CHECK(r->flags.rd);
  CHECK(r->flags.ra);
  CHECK_FALSE(r->flags.aa);
  CHECK(r->answers.empty());
}

TEST_CASE("rr_type_name gives mnemonics and TYPEnnn", "[parse]") {
  CHECK(rr_type_name(1) == "A");
  CHECK(rr_type_name(2) == "NS");
  CHECK(rr_type_name(5) == "CNAME");
  CHECK(rr_type_name(6) == "SOA");
  CHECK(rr_type_name(15) == "MX");
  CHECK(rr_type_name(16) == "TXT");
  CHECK(rr_type_name(28) == "AAAA");
  CHECK(rr_type_name(41) == "OPT");
  CHECK(rr_type_name(46) == "RRSIG");
  CHECK(rr_type_name(257) == "CAA");
  CHECK(rr_type_name(65280) == "TYPE65280");
  CHECK(rr_type_name(65535) == "TYPE65535");
  CHECK(rr_type_name(0) == "TYPE0");
}

TEST_CASE("rr_type_from_name parses mnemonics case-insensitively and TYPEnnn", "[parse]") {
  CHECK(rr_type_from_name("A") == std::optional<std::uint16_t>(1));
  CHECK(rr_type_from_name("a") == std::optional<std::uint16_t>(1));
  CHECK(rr_type_from_name("AAAA") == std::optional<std::uint16_t>(28));
  CHECK(rr_type_from_name("aaaa") == std::optional<std::uint16_t>(28));
  CHECK(rr_type_from_name("Mx") == std::optional<std::uint16_t>(15));
  CHECK(rr_type_from_name("CNAME") == std::optional<std::uint16_t>(5));
  CHECK(rr_type_from_name("txt") == std::optional<std::uint16_t>(16));
  CHECK(rr_type_from_name("RRSIG") == std::optional<std::uint16_t>(46));
  CHECK(rr_type_from_name("TYPE65280") == std::optional<std::uint16_t>(65280));
  CHECK(rr_type_from_name("type65280") == std::optional<std::uint16_t>(65280));
  CHECK(rr_type_from_name("TYPE1") == std::optional<std::uint16_t>(1));
  CHECK(rr_type_from_name("TYPE65535") == std::optional<std::uint16_t>(65535));
  CHECK(rr_type_from_name("ANY") == std::optional<std::uint16_t>(255));

  CHECK_FALSE(rr_type_from_name("").has_value());
  CHECK_FALSE(rr_type_from_name("FOO").has_value());
  CHECK_FALSE(rr_type_from_name("AAAAA").has_value());
  CHECK_FALSE(rr_type_from_name("A ").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE0").has_value());

  // Every mnemonic rr_type_name gives for a known type parses back.
  for (std::uint16_t t : {1, 2, 5, 6, 12, 15, 16, 28, 33, 43, 46, 47, 48, 50, 52, 64, 65, 257, 65280}) {
    INFO("type " << t);
    CHECK(rr_type_from_name(rr_type_name(t)) == std::optional<std::uint16_t>(t));
  }
}

// Regression: "TYPEnnn" went to ldns_get_rr_type_by_name, which uses atoi() without a range or
// syntax check, and the int was cast to uint16_t: "TYPE65537" became A (1), "TYPE65536" type 0,
// "TYPE-1" 65535, "TYPE1x" 1.
TEST_CASE("rr_type_from_name rejects out-of-range and malformed TYPEnnn", "[parse]") {
  CHECK_FALSE(rr_type_from_name("TYPE65536").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE65537").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE99999").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE4294967297").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE-1").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE1x").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE+1").has_value());
  CHECK_FALSE(rr_type_from_name("TYPE 1").has_value());
  CHECK_FALSE(rr_type_from_name("type65537").has_value());
  CHECK(rr_type_from_name("TYPE01") == std::optional<std::uint16_t>(1));
}

// Regression: TYPEnnn in any letter case is range-checked by mxsentry; ldns compares the
// prefix case-insensitively and wraps the number ("Type65537" gave 1, "Type-1" 65535).
TEST_CASE("rr_type_from_name rejects out-of-range TYPEnnn in any letter case", "[parse]") {
  CHECK_FALSE(rr_type_from_name("Type65537").has_value());
  CHECK_FALSE(rr_type_from_name("tYPE65536").has_value());
  CHECK_FALSE(rr_type_from_name("Type-1").has_value());
  CHECK_FALSE(rr_type_from_name("TyPe1x").has_value());
  CHECK(rr_type_from_name("Type65280") == std::optional<std::uint16_t>(65280));
}

// Regression: the query-only types parse (ANY 255, AXFR 252, IXFR 251, MAILB 253, MAILA 254) but
// rr_type_name once printed them as "TYPE255", so `--types ANY` was reported as qtype "TYPE255".
TEST_CASE("rr_type_name names the query types rr_type_from_name accepts", "[parse]") {
  CHECK(rr_type_name(255) == "ANY");
  CHECK(rr_type_name(252) == "AXFR");
  CHECK(rr_type_name(251) == "IXFR");
  CHECK(rr_type_name(253) == "MAILB");
  CHECK(rr_type_name(254) == "MAILA");
  for (std::uint16_t t : {251, 252, 253, 254, 255}) {
    INFO("type " << t);
    CHECK(rr_type_from_name(rr_type_name(t)) == std::optional<std::uint16_t>(t));
  }
}

// ---- the fast path (without ldns) against ldns --------------------------------------------

namespace {

bool same_parse(const ParsedResponse& a, const ParsedResponse& b) {
  return a.rcode == b.rcode && a.flags == b.flags && a.answers == b.answers && a.rrsigs == b.rrsigs &&
         a.authority == b.authority && a.edns.present == b.edns.present && a.edns.udp_size == b.edns.udp_size &&
         a.edns.version == b.edns.version && a.edns.do_bit == b.edns.do_bit;
}

// Whenever the fast path takes a message, ldns must read it to exactly the same result.
void check_fast_matches_ldns(const Bytes& w, bool expect_fast) {
  ParsedResponse fast, slow;
  bool took = mxsentry::detail::parse_response_fast(w, fast);
  if (expect_fast) CHECK(took);
  if (!took) return;
  std::string error;
  REQUIRE(mxsentry::detail::parse_response_ldns(w, slow, &error));
  CHECK(same_parse(fast, slow));
}

std::vector<Bytes> fast_path_packets() {
  std::vector<Bytes> out;
  {
    PacketBuilder b;
    b.answer("example.com. 300 IN A 192.0.2.1").answer("example.com. 300 IN A 192.0.2.200");
    out.push_back(b.wire());
  }
  {
    PacketBuilder b;
    ldns_pkt_set_aa(b.get(), true);
    ldns_pkt_set_rd(b.get(), true);
    ldns_pkt_set_ra(b.get(), true);
    ldns_pkt_set_ad(b.get(), true);
    ldns_pkt_set_cd(b.get(), true);
    b.answer("example.com. 60 IN CNAME www.Example.NET.")
        .answer("www.Example.NET. 86400 IN AAAA 2001:db8::1")
        .answer("www.Example.NET. 86400 IN AAAA ::ffff:192.0.2.1")
        .answer("example.com. 300 IN MX 10 mail.example.com.")
        .answer("example.com. 300 IN MX 65535 .")
        .answer("1.2.0.192.in-addr.arpa. 300 IN PTR host.example.com.")
        .answer("example.com. 300 IN DNAME example.net.")
        .answer("example.com. 300 IN NS ns1.example.com.")
        .authority("example.com. 3600 IN NS ns1.example.com.")
        .authority("example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 5")
        .additional("ns1.example.com. 3600 IN A 192.0.2.53")
        .additional("ns1.example.com. 3600 IN AAAA 2001:db8::53");
    ldns_pkt_set_edns_udp_size(b.get(), 1232);
    ldns_pkt_set_edns_do(b.get(), true);
    ldns_pkt_set_edns_extended_rcode(b.get(), 1);
    out.push_back(b.wire());
  }
  {
    PacketBuilder b;  // escapes in names
    b.answer("we\\.ird\\032na\\(me.example.com. 300 IN CNAME a\\\\b.example.com.");
    ldns_pkt_set_rcode(b.get(), 3);
    out.push_back(b.wire());
  }
  {
    PacketBuilder b;  // an empty NXDOMAIN with EDNS but no DO
    ldns_pkt_set_rcode(b.get(), 3);
    b.authority("com. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1700000000 1800 900 604800 86400");
    ldns_pkt_set_edns_udp_size(b.get(), 4096);
    out.push_back(b.wire());
  }
  return out;
}

}  // namespace

TEST_CASE("parse_response: the fast path reads the common types exactly as ldns does", "[parse][fast]") {
  for (const Bytes& w : fast_path_packets()) check_fast_matches_ldns(w, true);
  // Types outside the fast path (RRSIG, TXT, unknown) go to ldns.
  PacketBuilder b;
  b.answer("example.com. 300 IN TXT \"hello world\"");
  ParsedResponse out;
  CHECK_FALSE(mxsentry::detail::parse_response_fast(b.wire(), out));
  PacketBuilder s;
  s.answer("example.com. 300 IN A 192.0.2.1")
      .answer("example.com. 300 IN RRSIG A 8 2 300 20300101000000 20200101000000 12345 example.com. AAECAwQF");
  CHECK_FALSE(mxsentry::detail::parse_response_fast(s.wire(), out));
  ParsedResponse full = s.parse();
  CHECK(full.rrsigs.size() == 1);
}

TEST_CASE("parse_response: on damaged messages the fast path either declines or agrees with ldns",
          "[parse][fast]") {
  // Every single-byte change and truncation of the sample messages, and random multi-byte
  // damage: wherever the fast path takes the message, ldns reads the same.
  std::uint64_t state = 0x2545f4914f6cdd1dull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t taken = 0, tried = 0;
  for (const Bytes& original : fast_path_packets()) {
    for (std::size_t cut = 0; cut < original.size(); ++cut) {
      Bytes w(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(cut));
      ParsedResponse fast;
      if (mxsentry::detail::parse_response_fast(w, fast)) {
        ++taken;
        check_fast_matches_ldns(w, false);
      }
      ++tried;
    }
    for (std::size_t i = 0; i < original.size(); ++i) {
      for (int v : {0x00, 0x01, 0x03, 0x0c, 0x3f, 0x40, 0x7f, 0xc0, 0xc1, 0xff}) {
        Bytes w = original;
        w[i] = static_cast<std::uint8_t>(v);
        ParsedResponse fast;
        if (mxsentry::detail::parse_response_fast(w, fast)) {
          ++taken;
          check_fast_matches_ldns(w, false);
        }
        ++tried;
      }
    }
    for (int round = 0; round < 3000; ++round) {
      Bytes w = original;
      int changes = 1 + static_cast<int>(next() % 4);
      for (int c = 0; c < changes; ++c) w[next() % w.size()] = static_cast<std::uint8_t>(next());
      ParsedResponse fast;
      if (mxsentry::detail::parse_response_fast(w, fast)) {
        ++taken;
        check_fast_matches_ldns(w, false);
      }
      ++tried;
    }
  }
  CHECK(taken > tried / 10);  // the comparison was not vacuous
}

TEST_CASE("parse_response: records reused from an earlier response leave nothing behind", "[parse][fast]") {
  auto packets = fast_path_packets();
  ParsedResponse reused;
  std::string error;
  for (int round = 0; round < 2; ++round) {
    for (const Bytes& w : packets) {
      REQUIRE(parse_response(w, reused, &error));
      auto fresh = parse_response(w, &error);
      REQUIRE(fresh.has_value());
      CHECK(same_parse(reused, *fresh));
    }
  }
}

// RFC 2181 section 8: a TTL with the top bit set is taken as 0 (it was reported as it came).
// A, AAAA, MX and name types take the parser's own path; any other type sends the whole
// message through ldns: both are tried.
TEST_CASE("parse_response: a TTL of 2^31 or more is 0", "[parse]") {
  PacketBuilder fast;
  fast.answer("example.com. 300 IN A 192.0.2.1")
      .answer("example.com. 300 IN A 192.0.2.2")
      .authority("example.com. 300 IN NS ns1.example.com.");
  ldns_rr_set_ttl(ldns_rr_list_rr(ldns_pkt_answer(fast.get()), 0), 0x80000000u);
  ldns_rr_set_ttl(ldns_rr_list_rr(ldns_pkt_answer(fast.get()), 1), 0x7fffffffu);
  ldns_rr_set_ttl(ldns_rr_list_rr(ldns_pkt_authority(fast.get()), 0), 0x80000001u);
  ParsedResponse r = fast.parse();
  REQUIRE(r.answers.size() == 2);
  CHECK(r.answers[0].ttl == 0);
  CHECK(r.answers[1].ttl == 0x7fffffffu);
  REQUIRE(r.authority.size() == 1);
  CHECK(r.authority[0].ttl == 0);

  PacketBuilder slow;
  slow.answer("example.com. 300 IN TXT \"x\"").answer("example.com. 300 IN TXT \"y\"");
  ldns_rr_set_ttl(ldns_rr_list_rr(ldns_pkt_answer(slow.get()), 0), 0xffffffffu);
  ldns_rr_set_ttl(ldns_rr_list_rr(ldns_pkt_answer(slow.get()), 1), 86400);
  ParsedResponse t = slow.parse();
  REQUIRE(t.answers.size() == 2);
  CHECK(t.answers[0].ttl == 0);
  CHECK(t.answers[1].ttl == 86400);
}
