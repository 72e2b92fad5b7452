// The simulated zone of mxsentry-resolver-farm: which names exist and what their true answers
// are, all derived from the seed and the name, plus the answers the misbehaving resolvers
// give instead (a CDN's, a forger's). Pure: no I/O.
//
// The names are h0.<zone> .. h<N-1>.<zone>. Each has 1-3 A and 1-2 AAAA records in one /24
// (/48) of public-looking space and a TTL of 300, 600 or 3600. One name in ten is geo-split:
// the zone's second server gives another /24 (/48) for it, so the truth (the union over the
// servers) holds both sets. The addresses only appear inside answers; nothing is ever sent
// to them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mxsentry::farm {

using Ipv6 = std::array<std::uint8_t, 16>;

struct AnswerSet {
  std::array<std::uint32_t, 3> v4{};  // host byte order
  std::uint8_t v4_count = 0;
  std::array<Ipv6, 2> v6{};
  std::uint8_t v6_count = 0;
  std::uint32_t ttl = 0;
};

struct ZoneModel {
  std::string zone = "mailhost.test.";  // canonical: lower case, trailing dot
  std::uint32_t names = 1000;
  std::uint64_t seed = 1;
  double geo_share = 0.1;        // names whose second server answers differently
  double forged_share = 0.05;    // names a poisoned resolver forges
  std::uint32_t forged_ttl = 86400;  // a forger's TTL when its "cache" was filled

  std::string name(std::uint32_t index) const;  // "h12.mailhost.test."
};

// The index of "h<i>.<zone>" (ASCII case-insensitive, trailing dot optional), nullopt for any
// other name or an index >= model.names.
std::optional<std::uint32_t> name_index(const ZoneModel& model, std::string_view name);

bool is_geo_split(const ZoneModel& model, std::uint32_t name);
// What the zone's first server gives (`second_server` false) or its second one.
AnswerSet true_answer(const ZoneModel& model, std::uint32_t name, bool second_server);

// A CDN-like resolver's answer: other hosts of the truth's (first server's) /24 and /48.
AnswerSet cdn_answer(const ZoneModel& model, std::uint32_t resolver, std::uint32_t name);

// Whether the poisoned resolver `resolver` forges `name`, and what it says then: addresses no
// server of the zone gives, with a TTL above the true one that counts down from the moment
// the farm started, as a cache holding it would (`seconds` since then).
bool forges(const ZoneModel& model, std::uint32_t resolver, std::uint32_t name);
AnswerSet forged_answer(const ZoneModel& model, std::uint32_t resolver, std::uint32_t name, std::uint64_t seconds);

std::string ipv4_string(std::uint32_t address);
std::string ipv6_string(const Ipv6& address);

}  // namespace mxsentry::farm
