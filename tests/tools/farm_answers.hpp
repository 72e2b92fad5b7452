// What the farm says to one query: pure decisions from the zone model, the resolver's profile,
// the time and a random number, as a Plan that farm_wire turns into bytes. No I/O.
//
// The resolvers answer as caches in front of the simulated zones (RA, no AA); 1 + 2K more
// addresses are the authoritative servers (AA): the root, which delegates each of the K zones
// to its own ns1 and ns2 with glue, and each zone's ns1 and ns2, which serve it and nothing
// else (ns2 gives the second answer set of geo-split names). The truth finder iterates from
// the root to them, so with K zones it meets 2K servers and can ask them side by side.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "tests/tools/farm_profile.hpp"
#include "tests/tools/farm_zone.hpp"

namespace mxsentry::farm {

inline constexpr std::uint16_t type_a = 1, type_ns = 2, type_soa = 6, type_aaaa = 28, type_ds = 43;
inline constexpr std::uint8_t rcode_noerror = 0, rcode_servfail = 2, rcode_nxdomain = 3, rcode_refused = 5;

// Where a query name stands relative to the zones.
struct NameClass {
  enum Kind : std::uint8_t {
    root,           // "."
    above_zone,     // an ancestor of the zones other than the root ("test.", and the base
                    // "mailhost.test." when there are several zones)
    apex,           // a zone itself
    server,         // ns1.<zone> or ns2.<zone>; `index` 0 or 1
    host,           // h<index>.<zone>, index < names, in its own zone
    other_in_zone,  // any other name in a zone: it does not exist
    outside,        // in no zone, not above them
  } kind = outside;
  std::uint32_t index = 0;
  std::uint32_t zone = 0;  // apex, server, host, other_in_zone: which zone
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
  server_address,  // the A record of the server Plan::server of Plan::zone as the answer
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
  std::uint32_t zone = 0;  // the zone that Owner::zone, the referral and the servers mean
  std::uint8_t server = 0;
  AnswerSet addresses;
};

// The authoritative servers, by their offset from the first authoritative address: the root
// at 0, then zone k's ns1 at 1 + 2k and its ns2 at 2 + 2k (one zone: root, ns1, ns2 at 0, 1, 2).
struct AuthServer {
  bool root = true;
  std::uint32_t zone = 0;
  std::uint8_t index = 0;  // 0: ns1, 1: ns2 (the one that gives geo-split names' other set)
  static AuthServer root_server() { return {}; }
  static AuthServer of_zone(std::uint32_t zone, std::uint8_t index) { return {false, zone, index}; }
};
std::uint32_t auth_server_count(const ZoneModel& model);  // 1 + 2 * zones
std::uint32_t auth_offset(std::uint32_t zone, std::uint8_t index);
// The server at `offset`, nullopt past the last.
std::optional<AuthServer> auth_server(const ZoneModel& model, std::uint32_t offset);

// A zone's server asked about a name of another zone refuses it, as a real one would.
Plan authority_plan(const ZoneModel& model, AuthServer server, NameClass name, std::uint16_t qtype);

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
