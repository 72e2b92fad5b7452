#pragma once
// Who holds which work unit, until when, and which task results have arrived: the reliability
// core of a sweep (zguide's Paranoid Pirate and credit-based flow control), pure and in
// simulated time (every call takes `now`, Unix ms), so the tests drive it with a fake clock.
//
// - A prober holds at most its credit of units; each is leased until now + lease_ms.
// - Any message from a prober counts as a heartbeat; after `missed_heartbeats` intervals of
//   silence it is dead, and its units go back to the queue.
// - A lease that ends unfinished puts the unit back too (shard mode) for another prober.
// - Results are idempotent by (unit, task): the first copy counts, a duplicate is dropped, and
//   results from a prober that no longer holds the unit (late, after a re-lease) are dropped.
// - In `all` mode a unit belongs to one vantage: it waits for that prober, never goes elsewhere.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mxsentry {

struct LedgerConfig {
  std::int64_t lease_ms = 120'000;
  std::int64_t heartbeat_ms = 1'000;
  unsigned missed_heartbeats = 3;
};

struct Lease {
  std::uint64_t unit = 0;
  std::int64_t deadline_ms = 0;
};

enum class ResultFate { counted, duplicate, not_holder, unknown_unit };

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
  void add_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner = std::nullopt,
                std::int64_t lease_ms = 0);
  /// Restores a unit whose results so far are known (after a coordinator restart).
  void restore_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner,
                    const std::vector<std::uint32_t>& tasks_done, std::int64_t lease_ms = 0);
  /// Forgets a unit (its sweep ended): out of the queue, and its holder gets the credit back.
  void drop_unit(std::uint64_t unit);

  /// Any message from a prober: it is alive. A prober seen for the first time starts with no credit.
  void seen(const std::string& prober, std::int64_t now);
  /// HELLO: a prober (re)introduces itself. Its credit starts again from nothing (READY gives
  /// it), never above `capacity`; units it holds stay its own until they finish or expire.
  void hello(const std::string& prober, std::uint32_t capacity, std::int64_t now);
  /// READY: the prober can take `credit` more units (at most its capacity in all).
  void add_credit(const std::string& prober, std::uint32_t credit, std::int64_t now);
  /// The units to send to this prober now, each leased to it (at most its credit).
  std::vector<Lease> assign(const std::string& prober, std::int64_t now);

  ResultFate record_result(const std::string& prober, std::uint64_t unit, std::uint32_t task, std::int64_t now);
  /// DONE from the holder: the unit is finished when every task has a result; otherwise it goes
  /// back to the queue for what is missing. Returns whether the unit is now done.
  bool finish(const std::string& prober, std::uint64_t unit, std::int64_t now);
  /// BYE, or a prober declared dead: its units go back to the queue.
  void release(const std::string& prober);

  /// Time passes: ends leases past their deadline and probers silent too long. Returns the
  /// probers declared dead now.
  std::vector<std::string> expire(std::int64_t now);

  bool alive(const std::string& prober) const { return probers_.count(prober) > 0; }
  std::vector<std::string> probers() const;
  std::optional<std::int64_t> last_seen(const std::string& prober) const;
  std::optional<std::string> holder(std::uint64_t unit) const;
  bool task_done(std::uint64_t unit, std::uint32_t task) const;
  bool complete() const;
  LedgerProgress progress() const;

 private:
  struct Unit {
    std::uint32_t tasks = 0;
    std::int64_t lease_ms = 0;
    std::optional<std::string> owner;
    std::optional<std::string> holder;
    std::int64_t deadline_ms = 0;
    std::vector<bool> results;
    std::uint32_t result_count = 0;
    bool done = false;
  };
  struct Prober {
    std::int64_t last_seen_ms = 0;
    std::uint32_t credit = 0;
    std::uint32_t capacity = 0;  ///< 0 until HELLO: no cap known
    std::set<std::uint64_t> holding;
  };
  void requeue(std::uint64_t unit);

  LedgerConfig config_;
  std::map<std::uint64_t, Unit> units_;
  std::set<std::uint64_t> queue_;  ///< pending units, lowest id first
  std::map<std::string, Prober> probers_;
};

}  // namespace mxsentry
