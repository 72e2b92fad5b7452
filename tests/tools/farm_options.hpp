// The command line of mxsentry-resolver-farm, parsed and checked without touching anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/tools/farm_mix.hpp"
#include "tests/tools/farm_zone.hpp"

namespace mxsentry::farm {

struct FarmOptions {
  std::uint16_t port = 0;
  bool have_port = false;
  std::uint16_t auth_port = 0;  // 0: the same as port
  std::uint32_t first_resolver = 0x7f3c0001;  // 127.60.0.1, host order
  std::uint32_t resolver_count = 1000;
  std::uint32_t first_auth = 0x7f3d0001;  // 127.61.0.1: the root, then ns1, ns2 of each zone
  Mix mix;
  ZoneModel zone;
  std::string ground_truth_path;
  std::string root_hints_path;
  std::string names_path;
  double max_seconds = 120;
};

inline constexpr std::uint32_t max_resolvers = 65000;
inline constexpr const char* default_mix =
    "honest=0.9,poisoned=0.02,cdn=0.03,geo=0.01,slow=0.01,lossy=0.01,servfail=0.005,refused=0.005,"
    "silent=0.005,ratelimit=0.005";

struct ParseResult {
  enum Kind { run, help, error } kind = run;
  std::string message;  // the error
};

// argv without the program name. Addresses must be in 127.0.0.0/8 and outside 127.53.0.0/16
// (the lab's); the resolvers' range and the 1 + 2K authoritative addresses (in one /16) must
// not overlap.
ParseResult parse_farm_options(const std::vector<std::string>& args, FarmOptions& options);

std::string farm_usage();

// The root hints file naming the farm's root server (for --root-hints of the coordinator).
std::string root_hints_text(const FarmOptions& options);

}  // namespace mxsentry::farm
