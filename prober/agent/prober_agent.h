#pragma once
// `mxsentry-prober`: the vantage-point agent. Connects out to the coordinator (DEALER, so it
// works behind NAT), says HELLO, takes work by credit (`capacity` ordinary units, plus one
// express unit beside them), heartbeats, and reconnects with backoff when the coordinator goes
// silent. Whatever a unit says, the opt-out lists and the private-address rule are applied
// again before anything is sent (unit_intake.h).
//
// One engine for the process's life (engine_thread.h): one libuv loop on one thread, its
// per-resolver token buckets shared by every unit, so the vantage's caps hold exactly; a unit
// that asks for less than the cap keeps its own pace on top (Task::per_resolver_qps: none of
// its queries goes sooner than 1/rate after the last packet to that resolver). Units are task
// feeds multiplexed on it (unit_feed.h): the express unit first, the others in turn.
// Observations come back to this thread as they complete and leave in RESULTS batches bounded
// in count and bytes while the unit runs; DONE follows its last one (unit_results.h). Results
// waiting to be sent (while disconnected too) are bounded: beyond 16 MB the feed pauses.

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace mxsentry {

struct ProberOptions {
  std::string coordinator = "tcp://127.0.0.1:5570";
  std::string id;
  std::string key_path;         ///< this prober's secret key; NAME.pub beside it
  std::string server_key_path;  ///< the coordinator's .pub
  bool insecure = false;
  std::string resolvers_path;   ///< local resolvers only this vantage can reach (declared in HELLO)
  std::map<std::string, std::string> tags;
  std::vector<std::string> opt_out_paths;
  bool allow_private = false;
  double max_qps = 0;              ///< all resolvers together; 0 = no cap beyond the per-resolver one
  double max_per_resolver_qps = 5;  ///< never faster than this per resolver, whatever a unit asks
  /// Ordinary units held at once. They share one engine, whose caps hold for the vantage as a
  /// whole, so more units cost no rate; they keep the engine full while a unit waits for its
  /// slowest resolver (a silent one costs every try's timeout).
  std::uint32_t capacity = 16;
  std::int64_t heartbeat_ms = 1000;
  unsigned missed_heartbeats = 5;  ///< coordinator silence before reconnecting
  std::size_t batch_size = 200;    ///< observations per RESULTS message
};

int run_prober(const ProberOptions& options, std::atomic<bool>& stop, std::ostream& log);

}  // namespace mxsentry
