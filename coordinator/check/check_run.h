#pragma once
// `mxsentry check DOMAIN...`: the whole pipeline in one process, for the domains' mail and name
// servers: truth from the root down, every resolver asked, every answer judged, the unmatched
// ones verified again, verdicts out.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "coordinator/truth/root_hints.h"

namespace mxsentry {

struct CheckOptions {
  std::vector<std::string> domains;
  std::string resolvers_path;
  std::vector<std::string> opt_out_paths;
  std::string root_hints = default_root_hints_path;
  std::string trust_anchor = default_trust_anchor_path;
  std::string asn_db_path;      ///< pfx2as text or an ASN .mmdb; empty: no AS evidence
  std::string ioc_path;         ///< addresses and prefixes known to be used by attackers
  std::string thresholds_path;  ///< TOML over the defaults (docs/thresholds.toml)
  std::string db_path;          ///< SQLite file to keep observations, truths and verdicts in
  std::string types = "A,AAAA";  ///< asked for every MX and NS host
  std::string vantage = "local";
  bool json = false;
  bool allow_private = false;
  bool progress = false;
  double per_resolver_qps = 5;
  std::size_t concurrency = 200;
  std::uint32_t timeout_ms = 2000;
  std::uint32_t retries = 2;
  std::uint32_t linger_ms = 200;
  std::int64_t reask_delay_ms = -1;  ///< -1: the thresholds file's (or default) delay
};

/// 0 nothing flagged, 1 something suspicious or poisoned, 2 usage or runtime error.
int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mxsentry
