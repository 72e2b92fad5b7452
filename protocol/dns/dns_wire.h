#pragma once
// Wire-format work the engine does on every packet before (or instead of) a full ldns parse:
// building queries, the RFC 5452 acceptance checks, and a bounds-checked structural walk that
// catches what ldns lets through (trailing bytes, forward compression pointers, two OPT records).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/wire_name.h"

namespace mxsentry::wire {

constexpr std::uint16_t class_in = 1;
constexpr std::uint16_t type_opt = 41;

/// The 16-bit big-endian value at `p` (unchecked: for the ID of a message known to hold one).
/// A record's TTL as RFC 2181 section 8 says to take it: a value with the top bit set is 0.
inline constexpr std::uint32_t ttl_from_wire(std::uint32_t raw) { return raw >= 0x80000000u ? 0 : raw; }

inline std::uint16_t read_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

/// Uncompressed wire form of a presentation-format name (ldns does the parsing); nullopt and a
/// reason when the name is not valid.
std::optional<std::string> name_to_wire(std::string_view name, std::string* error = nullptr);

/// The same into `out` (replacing its contents, reusing its memory); false and a reason on error.
bool name_to_wire(std::string_view name, std::string& out, std::string* error = nullptr);

/// Presentation form ("mx.example.") of an uncompressed wire name, escaped exactly as ldns
/// escapes it (`. ; ( ) \` with a backslash, other non-printing bytes as \DDD).
std::string wire_to_name(std::string_view wire);
/// The same, appended to `out`.
void append_name(std::string& out, std::string_view wire);

struct QueryFields {
  std::uint16_t id = 0;
  std::uint16_t qtype = 1;
  bool recursion_desired = true;
  bool edns = true;
  bool dnssec_ok = true;
  std::uint16_t udp_size = 1232;
};

/// Writes a complete query message into `out` (replacing its contents).
void build_query(std::string_view qname_wire, const QueryFields& fields, std::vector<std::uint8_t>& out);

enum class QuestionCheck {
  match,
  error_without_question,  ///< QDCOUNT=0, an error rcode and no records: accepted (REFUSED, FORMERR)
  too_short,            ///< packet ends inside the header or the question
  not_a_response,       ///< QR=0
  wrong_opcode,
  wrong_question_count,  ///< QDCOUNT != 1
  wrong_question,       ///< name, type or class differ
};
const char* to_string(QuestionCheck check);

/// RFC 5452 section 9.1 checks beyond address, port and ID: QR, opcode, exactly one question,
/// and that it is ours (names compared case-insensitively). Servers often send REFUSED or
/// FORMERR without the question; such a reply is accepted only if it carries no records at
/// all, so it can report the error but never inject data.
QuestionCheck check_question(std::span<const std::uint8_t> packet, std::string_view qname_wire,
                             std::uint16_t qtype);

/// Walks header, every record of every section and every compression pointer with bounds
/// checks; returns an empty string when the message is well formed, otherwise the reason.
std::string check_structure(std::span<const std::uint8_t> packet);

}  // namespace mxsentry::wire
