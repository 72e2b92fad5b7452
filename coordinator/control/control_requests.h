#pragma once
// What the control endpoint is asked to start, read from its JSON (pure: no sockets, no state).
// A request that is malformed or out of range throws std::invalid_argument, which the
// coordinator sends back as {"ok": false, "error": ...}.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coordinator/check/check_targets.h"
#include "coordinator/sweep/sweep_definition.h"
#include "coordinator/sweep/sweep_plan.h"
#include "coordinator/sweep/sweep_store.h"
#include "coordinator/truth/truth_types.h"

namespace mxsentry {

/// Everything a sweep needs before it is planned against the probers connected at that moment.
struct SweepLaunch {
  std::string name;
  Assignment assignment = Assignment::shard;
  std::vector<std::string> resolvers;  ///< resolver-list syntax
  std::map<std::string, std::uint32_t> resolver_asns;  ///< their tagged ASes, by address text
  std::vector<Question> questions;
  SweepSettings settings;              ///< rates, priority, prober selector (deadline: set at launch)
  bool local_resolvers = true;         ///< each prober also asks the resolvers only it can reach
  std::int64_t wait_ms = 0;            ///< how long units bound to one vantage wait; 0 = the coordinator's
  std::map<Question, Truth> truths;    ///< known already (an on-demand check); else found at launch
};

/// An on-demand check: the domains' MX and NS hosts are found first, then every connected
/// prober asks its resolvers about them.
struct CheckRequest {
  std::vector<std::string> domains;  ///< canonical
  std::vector<std::uint16_t> host_types;
  std::vector<std::string> resolvers;
  std::map<std::string, std::uint32_t> resolver_asns;  ///< their tagged ASes, by address text
  SweepSettings settings;
  std::int64_t wait_ms = 120'000;
};

/// Throws std::invalid_argument when a rate, timeout or retry count is out of its range.
void validate_settings(const SweepSettings& settings);

/// The other side of "resolvers" and "resolver_asns": a resolver list file read into a request
/// (sweep-start or check). Throws ListError on a bad file.
void add_resolvers(nlohmann::json& request, const std::string& resolvers_path, bool allow_private);

/// {"cmd": "sweep-start", "resolvers": [...], "questions": [[name, type], ...], ...}; optional
/// "resolver_asns": {address: ASN, ...}, the resolvers' tagged ASes.
SweepLaunch parse_sweep_start(const nlohmann::json& request);

/// A sweep defined in the coordinator's file: its targets and resolvers files are read now, so
/// an edited file counts from the next run. Throws (ListError, std::runtime_error) on bad files.
SweepLaunch launch_of_definition(const SweepDefinition& definition);

/// {"cmd": "check", "domains": [...], "types": "A,AAAA", "resolvers": [...], "resolver_asns": {...}, ...}.
CheckRequest parse_check_request(const nlohmann::json& request);

}  // namespace mxsentry
