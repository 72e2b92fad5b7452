#pragma once
// Who holds which work unit, until when, and which task results have arrived: the reliability
// core of a sweep (zguide's Paranoid Pirate and credit-based flow control), pure and in
// simulated time (every call takes `now`, Unix ms), so the tests drive it with a fake clock.
//
// - A prober holds at most its credit of units; each is leased until now + lease_ms, and each
//   result counted for it renews the lease to lease_ms from then, never past max_hold_leases
//   leases from when it was leased (a prober that trickles results cannot hold it for ever).
// - Any message from a prober counts as a heartbeat; after `missed_heartbeats` intervals of
//   silence it is dead, and its units go back to the queue.
// - A lease that ends unfinished puts the unit back too (shard mode) for another prober.
// - Results are idempotent by (unit, task): the first copy counts, a duplicate is dropped, and
//   results from a prober that no longer holds the unit (late, after a re-lease) are dropped.
// - In `all` mode a unit belongs to one vantage: it waits for that prober, never goes elsewhere.
// - Pending units go out highest priority first, then lowest id first.
// - Express lane: an on-demand check (priority > 0) must not wait behind a long sweep that
//   uses every prober's credit. Beyond its credit, a prober may hold ONE express unit; it
//   costs no credit, does not count against the capacity, and gives no credit back when it
//   ends (finished, released, dropped or expired), since none was taken.
// - A done unit is forgotten (memory stays bounded by the open units): a late result for it
//   is an unknown_unit, a second DONE is not done again, and progress() keeps counting it.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mxsentry {

/// How many of its leases one holder may keep a unit for, renewals included.
constexpr std::int64_t max_hold_leases = 20;

struct LedgerConfig {
  std::int64_t lease_ms = 120'000;
  std::int64_t heartbeat_ms = 1'000;
  unsigned missed_heartbeats = 3;
};

struct Lease {
  std::uint64_t unit = 0;
  std::int64_t deadline_ms = 0;
  bool express = false;  ///< leased beyond the prober's credit (see the express lane above)
};

enum class ResultFate { counted, duplicate, not_holder, unknown_unit };

/// units, done, tasks and results: every unit since the ledger started (dropped ones excepted),
/// done ones from counters after they are forgotten; pending and leased: the units open now.
struct LedgerProgress {
  std::size_t units = 0, pending = 0, leased = 0, done = 0;
  std::uint64_t tasks = 0, results = 0;
};

class WorkLedger {
 public:
  explicit WorkLedger(LedgerConfig config = {}) : config_(config) {}

  /// A unit of `tasks` tasks. `owner`: in `all` mode the only prober that may run it.
  /// `lease_ms`: this unit's lease (0: the configured one); a unit that needs longer at the
  /// sweep's rate limits must get longer, or a live prober would lose it every time.
  /// `priority`: higher goes out first; above 0 the unit may also take the express lane.
  /// Adding an id the ledger holds replaces that unit (its holder loses it, no credit back).
  void add_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner = std::nullopt,
                std::int64_t lease_ms = 0, int priority = 0);
  /// Restores a unit whose results so far are known (after a coordinator restart). With every
  /// task done it is counted done and forgotten at once.
  void restore_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner,
                    const std::vector<std::uint32_t>& tasks_done, std::int64_t lease_ms = 0, int priority = 0);
  /// Forgets a unit (its sweep ended): out of the queue, and its holder gets the credit back
  /// (none for an express unit, which took none).
  void drop_unit(std::uint64_t unit);

  /// Any message from a prober: it is alive. A prober seen for the first time starts with no credit.
  void seen(const std::string& prober, std::int64_t now);
  /// HELLO: a prober (re)introduces itself. Its credit starts again from nothing (READY gives
  /// it), never above `capacity`; units it holds stay its own until they finish or expire.
  void hello(const std::string& prober, std::uint32_t capacity, std::int64_t now);
  /// READY: the prober can take `credit` more units (at most its capacity in all; an express
  /// unit it holds does not count).
  void add_credit(const std::string& prober, std::uint32_t credit, std::int64_t now);
  /// The units to send to this prober now, each leased to it: at most its credit of ordinary
  /// units, then, if it holds no express unit, one pending unit of priority > 0 as express
  /// (even with no credit). `may_run(unit)` false: the unit is skipped for this prober and stays
  /// pending for others (empty: every unit may run); a unit's owner is respected as well.
  std::vector<Lease> assign(const std::string& prober, std::int64_t now,
                            const std::function<bool(std::uint64_t unit)>& may_run = {});

  ResultFate record_result(const std::string& prober, std::uint64_t unit, std::uint32_t task, std::int64_t now);
  /// DONE from the holder: the unit is finished when every task has a result (then it is
  /// forgotten); otherwise it goes back to the queue for what is missing. Returns whether the
  /// unit is done now: false for a unit already forgotten (a second DONE does nothing twice).
  bool finish(const std::string& prober, std::uint64_t unit, std::int64_t now);
  /// BYE, or a prober declared dead: its units go back to the queue.
  void release(const std::string& prober);
  /// A unit bound to a vantage may go to any prober from now on (its results so far kept):
  /// a gone vantage's re-asks asked elsewhere. False for a unit the ledger does not hold.
  bool unbind(std::uint64_t unit);

  /// Time passes: ends leases past their deadline and probers silent too long. Returns the
  /// probers declared dead now.
  std::vector<std::string> expire(std::int64_t now);

  bool alive(const std::string& prober) const { return probers_.count(prober) > 0; }
  std::vector<std::string> probers() const;
  std::optional<std::int64_t> last_seen(const std::string& prober) const;
  /// How many units the prober holds now (the express one included).
  std::size_t holding(const std::string& prober) const;
  std::optional<std::string> holder(std::uint64_t unit) const;
  /// False for a unit done and forgotten, as for one never known.
  bool task_done(std::uint64_t unit, std::uint32_t task) const;
  /// Every unit added is done (or dropped): nothing is pending or leased.
  bool complete() const { return units_.empty(); }
  LedgerProgress progress() const;
  /// Units in memory: pending or leased (done ones are forgotten).
  std::size_t units_held() const { return units_.size(); }

 private:
  /// Only units not done are kept (pending or leased).
  struct Unit {
    std::uint32_t tasks = 0;
    std::int64_t lease_ms = 0;
    int priority = 0;
    std::optional<std::string> owner;
    std::optional<std::string> holder;
    std::int64_t deadline_ms = 0;
    std::int64_t leased_ms = 0;  ///< when its holder got it: renewals never reach past max_hold_leases leases
    std::vector<bool> results;
    std::uint32_t result_count = 0;
  };
  struct Prober {
    std::int64_t last_seen_ms = 0;
    std::uint32_t credit = 0;
    std::uint32_t capacity = 0;  ///< 0 until HELLO: no cap known
    std::set<std::uint64_t> holding;     ///< every unit leased to it, the express one included
    std::optional<std::uint64_t> express;  ///< the express unit it holds, if any
  };
  /// Queue order: highest priority first, then lowest id.
  using QueueKey = std::pair<std::int64_t, std::uint64_t>;
  static QueueKey key(std::uint64_t unit, const Unit& u) { return {-static_cast<std::int64_t>(u.priority), unit}; }
  /// Takes the unit from its holder, if any. Returns whether that holder had paid credit for it
  /// (an ordinary lease), i.e. whether it is owed the credit back when the unit is dropped.
  bool detach(std::uint64_t unit, Unit& u);
  void lease(const std::string& name, Prober& p, std::uint64_t unit, Unit& u, std::int64_t now, bool express);
  void requeue(std::uint64_t unit);
  /// A unit with every result: counted in the totals and forgotten.
  void retire(std::map<std::uint64_t, Unit>::iterator it);

  LedgerConfig config_;
  std::map<std::uint64_t, Unit> units_;
  std::set<QueueKey> queue_;  ///< pending units
  std::map<std::string, Prober> probers_;
  std::size_t done_units_ = 0;  ///< done and forgotten
  std::uint64_t done_tasks_ = 0, done_results_ = 0;
};

}  // namespace mxsentry
