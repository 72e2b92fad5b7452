// The simulated zone of mxsentry-resolver-farm: which names exist and what their true answers
// are, all derived from the seed and the name, plus the answers the misbehaving resolvers
// give instead (a CDN's, a forger's). Pure: no I/O.
//
// The names are h0 .. h<N-1>, spread over K zones (`zones`) below a base name (`zone`): with
// one zone (the default) name i is h<i>.<base>, the zone being the base itself; with K > 1 it
// is h<i>.z<k>.<base> with k = i mod K, each z<k>.<base> a zone of its own with its own two
// servers, delegated from the root (the base is then an empty non-terminal of the root's).
// A name's answers depend on its index only, not on K. Each has 1-3 A and 1-2 AAAA records in
// one /24 (/48) of public-looking space and a TTL of 300, 600 or 3600. One name in ten is
// geo-split: its zone's second server gives another /24 (/48) for it, so the truth (the union
// over the servers) holds both sets. The addresses only appear inside answers; nothing is
// ever sent to them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
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
  std::string zone = "mailhost.test.";  // the base; canonical: lower case, trailing dot
  std::uint32_t zones = 1;              // K: 1 .. max_zones, at most `names`
  std::uint32_t names = 1000;
  std::uint64_t seed = 1;
  double geo_share = 0.1;        // names whose second server answers differently
  double forged_share = 0.05;    // names a poisoned resolver forges
  std::uint32_t forged_ttl = 86400;  // a forger's TTL when its "cache" was filled

  std::string name(std::uint32_t index) const;  // "h12.mailhost.test.", "h12.z2.mailhost.test."
};

// Each zone has two servers on addresses of their own (see farm_answers), and the farm's
// addresses must stay in one /16: 1 + 2 * max_zones of them.
inline constexpr std::uint32_t max_zones = 10000;

// The zone holding name `index`, and the zone's name ("mailhost.test.", "z2.mailhost.test.").
std::uint32_t zone_of(const ZoneModel& model, std::uint32_t index);
std::string zone_name(const ZoneModel& model, std::uint32_t zone);

// The zone's name in presentation form without allocating (for the wire side).
struct ZoneText {
  std::array<char, 256> text{};
  std::size_t size = 0;
  std::string_view view() const { return {text.data(), size}; }
};
ZoneText zone_text(const ZoneModel& model, std::uint32_t zone);

// Where a name (lower case, trailing dot) falls: in zone `zone` with the labels before the
// zone's name (`prefix`, "h12." or "" at the apex), or in none (nullopt).
struct ZonePlace {
  std::uint32_t zone = 0;
  std::string_view prefix;
};
std::optional<ZonePlace> zone_place(const ZoneModel& model, std::string_view name);

// The index of "h<i>.<zone of i>" (ASCII case-insensitive, trailing dot optional), nullopt for
// any other name (also h<i> in another zone than its own) or an index >= model.names.
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

// Every name, one a line in index order (the target list a sweep of the farm uses).
void write_names(std::ostream& out, const ZoneModel& model);

std::string ipv4_string(std::uint32_t address);
std::string ipv6_string(const Ipv6& address);

}  // namespace mxsentry::farm
