#pragma once
// The coordinator service's class, shared by its files (not a public header): it owns the
// sockets (probers, control, ZAP), the worker threads (truth lookups, judging, a check's
// hosts) and the database, and carries out what the pure SweepLifecycle decides.
// - coordinator_service.cpp: setup, the loop, the heartbeat tick, run_coordinator;
// - coordinator_probers.cpp: prober messages, each behind a catch boundary;
// - coordinator_sweeps.cpp: launching, restoring, scheduling and judging sweeps;
// - coordinator_control.cpp: the control API (status, sweeps, on-demand checks).

#include <atomic>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "coordinator/analysis/analysis_config.h"
#include "coordinator/check/mail_targets.h"
#include "coordinator/control/control_requests.h"
#include "coordinator/service/coordinator_service.h"
#include "coordinator/service/result_writer.h"
#include "coordinator/service/retry_backoff.h"
#include "coordinator/service/sweep_judging.h"
#include "coordinator/service/sweep_truth.h"
#include "coordinator/sweep/sweep_lifecycle.h"
#include "coordinator/sweep/sweep_schedule.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/zap_policy.h"
#include "protocol/zmq_io.h"
#include "targets/opt_out.h"

namespace mxsentry::service {

/// Wall-clock Unix milliseconds: the time every decision is given.
std::int64_t now_ms();

/// JSON text for the CLI. Strings from probers (names, tags, software) are not checked for
/// UTF-8 on the wire, and must not make the reply (or the coordinator) fail: bad bytes are
/// replaced.
std::string reply_text(const nlohmann::json& reply);

/// An on-demand check whose MX and NS hosts are being found (on a worker thread); the CLI
/// that asked waits for the reply, which names the sweep once it is planned.
struct PendingCheck {
  std::int64_t asked_ms = 0;
  std::string routing_id;
  CheckRequest request;
  std::future<MailTargets> targets;
};

struct ProberState {
  std::string routing_id;
  protocol::Hello hello;
  std::uint64_t dropped = 0;  ///< messages refused from this peer
};

/// A sweep's worker threads, and what its first judging found for the second.
struct SweepThreads {
  std::shared_ptr<SweepTruth> truth;  ///< from the first judging, reused by the second
  std::optional<std::future<JudgedSweep>> judging;  ///< truth and verdicts
  // The truth found at launch: its answer sets for compact results, its truths for judging.
  std::optional<std::future<std::shared_ptr<SweepTruth>>> truth_lookup;
  std::shared_ptr<TruthInbox> truth_inbox;  ///< the lookup's truths as they are found
  std::shared_ptr<SweepTruth> found;  ///< the launch's truths, not yet re-verified
  /// A re-verification while the sweep runs (reverify_early), on `found`: the record keys the
  /// servers gave; and every question handed to one.
  std::optional<std::future<std::set<std::string>>> reverifying;
  std::set<Question> reverified_questions;
  /// A judging the database refused to write (a full disk): judged again when due, as final
  /// as the one that failed; the sweep stays judging meanwhile. Its error for status.
  RetryBackoff judging_retry;
  bool judging_final = false;  ///< the last judging started stores its verdicts
  std::string judging_error;
};

class Coordinator {
 public:
  Coordinator(const CoordinatorOptions& options, std::ostream& log);
  /// Stops the writer first, whatever ended the loop, so that a judging waiting for it ends.
  ~Coordinator();

  void setup();
  void loop(std::atomic<bool>& stop);

 private:
  // ---- probers (coordinator_probers.cpp) ----
  void drop(const std::string& who, const std::string& why);
  void send_to(const std::string& name, const protocol::Message& message);
  void on_prober_message(const Received& m);
  void handle_message(const std::string& name, const std::string& routing_id, protocol::Message& message,
                      std::int64_t now);
  /// Hands results the ledger counted to the writer (written in order, tried until kept).
  void store_results(std::vector<StoredResult> fresh);
  /// Logs a failure of the writer's, once per new error.
  void report_writer();
  void handle(const std::string& name, ProberState& prober, protocol::Hello& hello, std::int64_t now);
  void handle(const std::string& name, ProberState&, protocol::Ready& ready, std::int64_t now);
  void handle(const std::string&, ProberState&, protocol::Work&, std::int64_t) {}
  void handle(const std::string& name, ProberState&, protocol::Results& results, std::int64_t now);
  void handle(const std::string& name, ProberState&, protocol::Done& done, std::int64_t now);
  void handle(const std::string&, ProberState&, protocol::Heartbeat&, std::int64_t) {}  // seen() is enough
  void handle(const std::string& name, ProberState&, protocol::Bye&, std::int64_t);
  void handle(const std::string& name, ProberState&, protocol::Error& e, std::int64_t);
  void dispatch(const std::string& name, std::int64_t now);
  void dispatch_all(std::int64_t now);

  // ---- the loop (coordinator_service.cpp) ----
  void tick(std::int64_t now);
  /// Logs the lifecycle's notes and starts the judgings it ordered.
  void carry_out();

  // ---- sweeps (coordinator_sweeps.cpp) ----
  struct Launched {
    std::uint64_t id = 0;
    std::vector<std::string> vantages;
  };
  /// Plans a sweep against the probers connected now, keeps it, and hands its units out.
  /// Throws std::invalid_argument when there is nothing to ask or nobody to ask it.
  Launched launch(const SweepLaunch& launch, std::int64_t now);
  void restore();
  void run_schedule(std::int64_t now);
  TruthOptions truth_options() const;
  void look_up_truth(std::uint64_t sweep, std::vector<Question> questions);
  void collect_truth_lookups();
  void reverify_early();
  void collect_judgings(std::int64_t now);
  void start_judging(const JudgeOrder& order);
  /// A judging on a worker thread; `final` stores every verdict, else the flagged come back.
  void start_judging(std::uint64_t sweep, bool final);
  /// Returns true when the sweep has ended (its verdicts stored, or its judging failed). A
  /// judging the database could not write is tried again (judge_again_later), the sweep kept.
  bool finish_sweep(std::uint64_t sweep, JudgedSweep judged, std::int64_t now);
  /// Schedules a judging refused by the database (a full disk) to run again after a backoff;
  /// logs the first failure of a streak only.
  void judge_again_later(std::uint64_t sweep, const std::string& error, std::int64_t now);
  /// Starts the judgings whose retry is due, none while another judging of its sweep runs.
  void retry_judgings(std::int64_t now);
  bool start_reask(std::uint64_t sweep, const std::vector<Verdict>& verdicts, std::int64_t now);

  // ---- control (coordinator_control.cpp) ----
  void on_control(const Received& m);
  nlohmann::json start_sweep(const nlohmann::json& request);
  std::optional<nlohmann::json> begin_check(const std::string& routing_id, const nlohmann::json& request);
  nlohmann::json launch_check(PendingCheck& pending, std::int64_t now);
  void answer_checks(std::int64_t now);
  nlohmann::json status();
  nlohmann::json sweep_json(const StoredSweep& s);
  nlohmann::json sweep_verdicts(std::uint64_t id);

  const CoordinatorOptions& options_;
  std::ostream& log_;
  AnalysisConfig config_;
  std::unique_ptr<AsnDatabase> asn_db_;
  std::unique_ptr<PrefixList> ioc_;
  OptOut opt_out_;
  SweepStore store_;
  /// Results and finished units, written on the writer's thread. Declared before threads_: a
  /// judging waits on it (flush), so it must outlive them.
  std::unique_ptr<ResultWriter> writer_;
  std::string writer_error_;  ///< the last writer error logged
  SweepLifecycle lifecycle_;
  Allowlist allowlist_;
  zmq::context_t context_;
  zmq::socket_t probers_socket_, control_, zap_;
  std::map<std::string, ProberState> probers_;
  std::map<std::string, std::string> insecure_names_;  ///< routing id -> name, --insecure only
  std::map<std::uint64_t, SweepThreads> threads_;
  std::vector<PendingCheck> pending_checks_;
  std::vector<std::future<std::shared_ptr<SweepTruth>>> retired_lookups_;  ///< of sweeps that ended first
  std::map<std::string, ScheduleState> schedule_;
  std::map<std::string, std::uint64_t> dropped_;
  std::uint64_t late_or_unknown_ = 0;
  std::uint64_t full_results_ = 0, compact_results_ = 0, results_bytes_ = 0, express_units_ = 0, refused_units_ = 0;
  std::uint64_t refused_handshakes_ = 0;  ///< CURVE handshakes the ZAP policy refused (logged, bounded)
  std::uint64_t failed_messages_ = 0;  ///< prober messages whose handling threw: logged, not fatal
  std::int64_t last_heartbeat_ms_ = 0;
  std::int64_t started_ms_ = 0;
};

}  // namespace mxsentry::service
