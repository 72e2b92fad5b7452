#pragma once
// `mxsentry check DOMAIN... --coordinator ENDPOINT`: the same check through a deployed
// coordinator. It finds the domains' MX and NS hosts, every connected prober asks them of its
// resolvers (ahead of any sweep), and the verdicts come back per vantage.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace mxsentry {

struct RemoteCheckOptions {
  std::string control;               ///< the coordinator's control endpoint
  std::vector<std::string> domains;
  std::string resolvers_path;        ///< optional: every prober also asks its own local resolvers
  std::string types = "A,AAAA";
  bool allow_private = false;
  bool json = false;
  double per_resolver_qps = 5;
  std::uint32_t timeout_ms = 2000;
  std::uint32_t retries = 2;
  std::int64_t wait_ms = 120'000;    ///< how long the probers get; then whatever arrived is judged
  bool progress = false;
};

/// 0 nothing flagged, 1 something suspicious or poisoned (or some vantage never answered), 2 error.
int run_remote_check(const RemoteCheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mxsentry
