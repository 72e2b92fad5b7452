// What the farm says to one query: pure decisions from the zone model, the resolver's profile,
// the time and a random number, as a Plan that farm_wire turns into bytes. No I/O.
//
// The resolvers answer as caches in front of the simulated zone (RA, no AA); three more
// addresses are the zone's authoritative servers (AA): the root, which delegates the zone to
// ns1 and ns2 with glue, and ns1 and ns2, which serve it (ns2 gives the second answer set of
// geo-split names). The truth finder iterates from the root to them.
#pragma once

#include <cstdint>
#include <string_view>

#include "tests/tools/farm_profile.hpp"
#include "tests/tools/farm_zone.hpp"

namespace mxsentry::farm {

inline constexpr std::uint16_t type_a = 1, type_ns = 2, type_soa = 6, type_aaaa = 28, type_ds = 43;
inline constexpr std::uint8_t rcode_noerror = 0, rcode_servfail = 2, rcode_nxdomain = 3, rcode_refused = 5;

// Where a query name stands relative to the zone.
struct NameClass {
  enum Kind : std::uint8_t {
    root,           // "."
    above_zone,     // an ancestor of the zone other than the root ("test.")
    apex,           // the zone itself
    server,         // ns1.<zone> or ns2.<zone>; `index` 0 or 1
    host,           // h<index>.<zone>, index < names
    other_in_zone,  // any other name in the zone: it does not exist
    outside,        // not in the zone, not above it
  } kind = outside;
  std::uint32_t index = 0;
};

// `name`: presentation format, lower case, trailing dot (as parse_query gives it).
NameClass classify(const ZoneModel& model, std::string_view name);

enum class Content : std::uint8_t {
  empty,           // header and question only
  addresses,       // the qname's A or AAAA records from Plan::addresses (qtype decides)
  negative,        // the SOA of Plan::owner in the authority section (NXDOMAIN, NODATA)
  referral,        // the zone's NS records in the authority section, glue in the additional
  apex_soa,        // the SOA of Plan::owner as the answer
  apex_ns,         // the NS records of Plan::owner as the answer, with glue
  server_address,  // the A record of the zone server Plan::server as the answer
};

enum class Owner : std::uint8_t { root, zone };

struct Plan {
  bool respond = false;  // false: drop the query
  std::uint16_t delay_ms = 0;
  std::uint8_t rcode = rcode_noerror;
  bool authoritative = false;
  bool recursion_available = false;
  Content content = Content::empty;
  Owner owner = Owner::zone;
  std::uint8_t server = 0;
  AnswerSet addresses;
};

// The authoritative servers, by their offset from the first authoritative address.
enum class AuthRole : std::uint8_t { root = 0, ns1 = 1, ns2 = 2 };
inline constexpr std::uint32_t auth_server_count = 3;

Plan authority_plan(const ZoneModel& model, AuthRole role, NameClass name, std::uint16_t qtype);

// A resolver's answers-per-second window (ratelimit), one per resolver.
struct RateWindow {
  std::uint32_t second = 0;
  std::uint32_t count = 0;
};

// `now_ms`: milliseconds since the farm started (forged TTLs count down from then, rate
// windows are whole seconds of it). `random`: a fresh random number (lossy resolvers).
Plan resolver_plan(const ZoneModel& model, const ResolverProfile& profile, std::uint32_t resolver, NameClass name,
                   std::uint16_t qtype, std::uint64_t now_ms, std::uint64_t random, RateWindow& window);

}  // namespace mxsentry::farm
