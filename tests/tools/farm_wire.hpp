// The wire side of mxsentry-resolver-farm: reading a query and writing the reply a Plan
// describes, in place in the receive buffer, without allocating. Pure: no sockets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tests/tools/farm_answers.hpp"

namespace mxsentry::farm {

struct Query {
  std::uint16_t qtype = 0;
  std::size_t question_end = 0;  // offset just past QTYPE/QCLASS
  bool edns = false;
  bool dnssec_ok = false;
  std::array<char, 256> name_text{};  // presentation, lower case, trailing dot
  std::size_t name_size = 0;
  std::string_view name() const { return {name_text.data(), name_size}; }
};

// A standard query (QR=0, OPCODE=0, one question of class IN, no compression in the
// question) whose records all fit in `len`; nullopt for anything else (dropped). Labels with
// bytes other than letters, digits, '-' and '_' are refused too, so the text form is exact.
std::optional<Query> parse_query(const std::uint8_t* wire, std::size_t len);

// The farm's fixed names and addresses that replies mention.
struct WireContext {
  const ZoneModel* model = nullptr;  // the zones' names
  std::uint32_t first_auth = 0;      // the root server's IPv4 address (host order); the zones'
                                     // servers follow (auth_offset)
  std::string_view root_server = "a.farm-root.";
};

// The most a reply adds past the question (a referral with glue and OPT is the largest).
inline constexpr std::size_t max_reply_growth = 400;

// Overwrites wire[question_end, ...) with the reply's records and the header with the reply's;
// the buffer must hold question_end + max_reply_growth bytes. Returns the reply's length.
std::size_t write_reply(std::uint8_t* wire, const Query& query, const Plan& plan, const WireContext& context);

}  // namespace mxsentry::farm
