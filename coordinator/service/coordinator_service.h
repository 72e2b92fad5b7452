#pragma once
// `mxsentry-coordinator`: hands sweeps out to probers over ZeroMQ and keeps everything in its
// database. One thread runs the loop (prober ROUTER, control ROUTER, ZAP handler); truths are
// found on a worker thread per sweep, and a finished sweep is judged with the check's Judge.
// Sweeps start on request (the CLI), by name from the configuration, or on their interval;
// an on-demand check finds its hosts on a worker thread, then goes to every connected prober
// ahead of every sweep (priority units, and an express slot beyond each prober's credit).

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "protocol/message_codec.h"
#include "coordinator/sweep/sweep_definition.h"
#include "coordinator/sweep/work_ledger.h"
#include "coordinator/truth/root_hints.h"

namespace mxsentry {

struct CoordinatorOptions {
  std::string listen = "tcp://127.0.0.1:5570";   ///< probers connect here
  std::string control = "tcp://127.0.0.1:5571";  ///< the CLI (keep it on loopback)
  std::string db_path = "mxsentry.sqlite";
  std::string key_path;   ///< the coordinator's secret key (mxsentry keygen)
  std::string allow_dir;  ///< .pub files of admitted probers
  bool insecure = false;  ///< plain TCP without CURVE: only when asked for explicitly
  LedgerConfig ledger;
  std::size_t unit_size = 500;
  std::int64_t all_deadline_ms = 600'000;  ///< `all` mode: how long a unit waits for its vantage
  /// How long a new sweep's units wait for its truth lookup to end (0: not at all). Answers
  /// that match the truth then come back compact (~16 bytes kept instead of ~250); past it,
  /// units go out and come back in full.
  std::int64_t truth_wait_ms = 600'000;
  std::string root_hints = default_root_hints_path;
  std::string trust_anchor = default_trust_anchor_path;
  std::string asn_db_path, ioc_path, thresholds_path;
  std::vector<std::string> opt_out_paths;  ///< never asked, whatever a sweep lists (the system list is always read)
  std::vector<SweepDefinition> sweeps;      ///< named sweeps: started by name, or on their interval
  protocol::Limits limits;
};

/// Runs until `stop` is set (SIGINT/SIGTERM in the executable). Returns the exit status; throws
/// nothing: setup errors are written to `log` and give 2.
int run_coordinator(const CoordinatorOptions& options, std::atomic<bool>& stop, std::ostream& log);

}  // namespace mxsentry
