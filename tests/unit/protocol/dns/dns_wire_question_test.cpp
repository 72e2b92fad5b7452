// dns_wire question checks: the RFC 5452 acceptance of a response's header and question.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "protocol/dns/dns_wire.h"
#include "tests/unit/protocol/dns/dns_message_builder.h"

namespace wire = mxsentry::wire;
using namespace mxsentry::test;  // the message assembler and samples

namespace {

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

