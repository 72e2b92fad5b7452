// The I/O loop of mxsentry-resolver-farm: one UDP socket bound to 0.0.0.0 with IP_PKTINFO,
// answering as whichever loopback address was queried and replying from it (as
// mxsentry-bench-responder --any-loopback does). recvmmsg/sendmmsg in batches, replies
// written in place, slow replies parked in preallocated slots: no allocation per packet.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/tools/farm_answers.hpp"
#include "tests/tools/farm_profile.hpp"
#include "tests/tools/farm_wire.hpp"
#include "tests/tools/unique_fd.hpp"

namespace mxsentry::farm {

struct FarmStats {
  std::uint64_t queries = 0;        // well-formed queries to a farm address
  std::uint64_t answered = 0;       // replies sent (delayed ones included)
  std::uint64_t authoritative = 0;  // of which from the zone's servers
  std::uint64_t dropped = 0;        // silent, lossy, over a rate: on purpose
  std::uint64_t delayed = 0;        // slow replies parked
  std::uint64_t ignored = 0;        // malformed, not loopback, not a farm address, send failures
  void add(const FarmStats& o);
};

// What one socket serves. Addresses are IPv4 in host order.
struct FarmScope {
  bool resolvers = false;  // first_resolver .. + profiles.size()
  bool authority = false;  // first_auth .. + auth_server_count(*zone)
  std::uint32_t first_resolver = 0;
  std::uint32_t first_auth = 0;
  const std::vector<ResolverProfile>* profiles = nullptr;
  const ZoneModel* zone = nullptr;
};

// Opens the socket: UDP on 0.0.0.0:port with IP_PKTINFO (and SO_BINDTODEVICE lo when
// allowed), 100 ms receive timeout so the loop sees the stop flag. Throws on failure.
test_responder::UniqueFd open_farm_socket(std::uint16_t port);

// Serves until `stop` is set (or a socket error sets it; the error is returned).
// `start`: the steady-clock time the farm started, in ms (forged TTLs count from it).
std::string serve(int fd, const FarmScope& scope, std::uint64_t start_ms, std::atomic<bool>& stop,
                  FarmStats& stats);

std::uint64_t steady_ms();

}  // namespace mxsentry::farm
