#pragma once
// `mxsentry probe`: ask many resolvers about many names and write every observation.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "coordinator/probe/probe_plan.h"
#include "targets/opt_out.h"  // system_opt_out_path

namespace mxsentry {

struct ProbeOptions {
  std::string resolvers_path;
  std::string names_path;
  std::string types = "A,AAAA";
  ProbeMode mode = ProbeMode::fanout;
  std::string out_path = "-";
  std::string format = "jsonl";   ///< jsonl or table
  std::size_t concurrency = 1000;
  double qps = 0;                 ///< all resolvers together; 0 = unlimited
  double per_resolver_qps = 5;
  std::uint32_t timeout_ms = 2000;
  std::uint32_t retries = 2;
  std::uint32_t linger_ms = 200;
  std::uint32_t udp_sockets = 32;
  bool allow_private = false;
  std::vector<std::string> opt_out_paths;  ///< resolvers in these lists are never asked
  bool progress = false;          ///< progress line on stderr (set when stderr is a terminal)
};


/// Runs the whole probe; returns the process exit status (0 done, 2 usage or runtime error).
int run_probe(const ProbeOptions& options, std::ostream& err);

}  // namespace mxsentry
