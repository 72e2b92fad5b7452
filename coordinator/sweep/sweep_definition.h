#pragma once
// The sweeps a coordinator knows by name, from its TOML file: an array of tables `[[sweep]]`,
// each naming its inputs (a names file and a resolver list), how to ask, which probers, and how
// often to run on its own. Read as strictly as the rest of the file: an unknown key or a value of
// the wrong type is an error, since a typo must not leave a default in force. The files named
// are read when a sweep starts (sweep_inputs.h), not here: they may change between runs.

#include <cstdint>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "coordinator/sweep/prober_selector.h"

namespace mxsentry {

struct SweepDefinition {
  std::string name;                // required, unique, [A-Za-z0-9._-]{1,64}
  std::string targets_path;        // "targets", required (names file as for mxsentry probe)
  std::string resolvers_path;      // "resolvers", required
  std::string types = "A,AAAA";    // "types"
  std::string assignment = "shard";  // "assignment": "all" | "shard"
  ProberSelector probers;          // "probers": a string "k=v,..." OR an array of "k=v" strings
  std::int64_t interval_ms = 0;    // "interval": duration string (parse_duration_ms) or positive integer seconds; 0/absent = only on request
  double per_resolver_qps = 5;     // "per_resolver_qps" (prober/core/limits.h; integer or float accepted)
  std::uint32_t timeout_ms = 2000; // "timeout_ms" (prober/core/limits.h)
  std::uint32_t retries = 2;       // "retries" (prober/core/limits.h)
  bool allow_private = false;      // "allow_private": accept loopback/private resolvers (labs)
  bool local_resolvers = true;     // "local_resolvers": also ask each prober's own (HELLO) resolvers
};

/// Reads the value of the top-level key "sweep". Strict: an unknown key, a wrong type, a value out of range, a duplicate or missing name → std::runtime_error "PATH: sweep N (NAME): KEY: what was expected" (N 1-based).
/// An interval is at least 1 s (labs need short ones; real use wants an hour or more). The
/// "(NAME)" part is left out while the name itself is missing or bad.
std::vector<SweepDefinition> parse_sweep_definitions(const toml::node& sweeps, const std::string& path);

}  // namespace mxsentry
