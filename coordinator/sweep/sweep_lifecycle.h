#pragma once
// The running sweeps' decisions, pure and in simulated time (every call takes `now`, Unix ms),
// built on the WorkLedger (leases, credit, prober liveness):
// - which units are open, of which sweep, and who may run them now;
// - when a sweep's probing is done and it goes to be judged ("complete", or "incomplete" when
//   units bound to a vantage were given up at the sweep's deadline);
// - the re-ask phase after a first judging: flagged answers asked again by the vantage that saw
//   them, not before a delay, given up at the re-ask deadline. When that vantage is gone its
//   re-ask units go to any other prober that may run the sweep, if their resolvers are open
//   (none of its local resolvers: the VantageBook); with no such prober, or a resolver only it
//   reaches, they are given up at once and its answers judged without a second look.
// The service carries the decisions out (stores, judging threads, the log): it reads them with
// take_judge_orders() and take_notes().

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "coordinator/judging/answer_counter.h"
#include "coordinator/sweep/early_reverify.h"
#include "coordinator/sweep/open_unit.h"
#include "coordinator/sweep/prober_selector.h"
#include "coordinator/sweep/sweep_store.h"
#include "coordinator/sweep/vantage_book.h"
#include "coordinator/sweep/work_ledger.h"

namespace mxsentry {

/// A running sweep as the lifecycle sees it.
struct SweepState {
  StoredSweep info;
  std::shared_ptr<const TaskSpace> space;  ///< its interned inputs, which its units' ranges index
  ProberSelector probers;  ///< which probers may run its units
  std::set<std::uint64_t> open_units;
  bool deadline_passed = false;  ///< its bound units were given up: it ends incomplete
  // Re-asking: after the first judging, each flagged answer is asked again by the vantage that
  // saw it (or, that one gone, by any prober of the sweep), not before `reask_not_before_ms`;
  // what has not come by `reask_deadline_ms` is judged without it.
  bool reasking = false;
  std::int64_t reask_not_before_ms = 0, reask_deadline_ms = 0;
  bool judging = false;     ///< a judging was ordered and has not ended
  std::string final_state;  ///< "complete" or "incomplete", once its probing is done
  // Compact results: the truth's answer sets. Units sent before they are known carry none,
  // and their observations come back in full; so units wait for them until this time, each
  // only until its own questions' truths are in (truth_found, by place in space->questions).
  std::int64_t truth_wait_until_ms = 0;
  std::vector<char> truth_found;
  AnswerSets answer_sets;
  std::map<Question, std::vector<std::uint64_t>> digests;
  EarlyReverify early_reverify;  ///< questions to ask the authoritative servers again while it runs
  /// The measurement's answers counted as results are taken (answer_counter.h), for its first
  /// judging; set by the service when the sweep starts or resumes, null in tests that do not.
  std::shared_ptr<AnswerCounter> answers;
};

/// A sweep whose probing is done: to be judged, then ended as `state`.
struct JudgeOrder {
  std::uint64_t sweep = 0;
  std::string state;
};

class SweepLifecycle {
 public:
  /// `max_answer_sets`: a question with more answer sets than a WORK may carry gets no digests.
  SweepLifecycle(LedgerConfig ledger, std::size_t max_answer_sets);

  WorkLedger& ledger() { return ledger_; }
  const WorkLedger& ledger() const { return ledger_; }
  /// The probers' HELLOs (tags, local resolvers): who may stand in for a gone vantage.
  VantageBook& vantages() { return vantages_; }
  const VantageBook& vantages() const { return vantages_; }

  /// A running sweep, new or restored after a restart, with its interned inputs.
  SweepState& add_sweep(const StoredSweep& info, std::shared_ptr<const TaskSpace> space = nullptr);
  /// The sweep's answer sets, and the digests every WORK of it carries from now on.
  void set_answer_sets(std::uint64_t sweep, AnswerSets sets);
  /// One question's truth is in, before the others (`place`: its place in the sweep's
  /// questions, checked): its answer sets are used from now on, and units asking only
  /// questions whose truths are in stop waiting. `sets` may be empty (no answer to match).
  void add_answer_sets(std::uint64_t sweep, std::size_t place, const Question& question,
                       std::vector<protocol::AnswerSet> sets);
  /// Open units of a sweep into the ledger, with the tasks that already have results (after a
  /// restart); units known already are skipped. Returns the units whose every task has a
  /// result (their DONE was lost): they are not added, and the store marks them done; so is a
  /// unit whose range lies outside the sweep's inputs (a damaged store: noted).
  std::vector<std::uint64_t> add_units(std::uint64_t sweep, std::vector<StoredUnit> units);
  /// After a restart: a sweep that was re-asking goes on until now + the re-ask wait; one with
  /// no open unit left is judged.
  void resume(std::uint64_t sweep, bool reasking, std::int64_t now);

  SweepState* sweep(std::uint64_t id);
  const SweepState* sweep(std::uint64_t id) const;
  const std::map<std::uint64_t, SweepState>& sweeps() const { return sweeps_; }
  /// A running sweep of this name (a scheduled sweep never runs twice at once).
  bool running(const std::string& name) const;
  const OpenUnit* unit(std::uint64_t id) const;

  /// Whether a prober with these tags may take the unit now: its sweep names it (by tag) and,
  /// re-asking, the delay has passed. A unit whose sweep has ended may go (to be dropped).
  bool may_run(std::uint64_t unit, const std::map<std::string, std::string>& tags, std::int64_t now) const;
  /// The sweep's truth is being looked up: its units wait for the answer sets (so that their
  /// matching answers come back compact) until `until_ms` at the latest; set_answer_sets or
  /// truth_failed ends the wait.
  void await_truth(std::uint64_t sweep, std::int64_t until_ms);
  void truth_failed(std::uint64_t sweep);
  /// Forgets a unit leased for a sweep that has ended (the holder's credit goes back).
  void drop_unit(std::uint64_t unit) { ledger_.drop_unit(unit); }

  /// DONE from the unit's holder. True when the unit is finished now (the store marks it done);
  /// the sweep's last one orders its judging.
  bool unit_done(const std::string& prober, std::uint64_t unit, std::int64_t now);
  /// BYE: the prober's units go back to the queue, and its re-ask units go elsewhere or are
  /// given up (reask_units_of_gone).
  void prober_left(const std::string& prober);
  /// Time passes (at every heartbeat): leases end, probers silent too long are declared gone
  /// (returned; their units go back, their re-ask units go elsewhere or are given up at once),
  /// and sweeps past a deadline give up their bound units (or their re-ask units).
  std::vector<std::string> expire(std::int64_t now);

  /// Whether another prober may ask `resolver` again in place of the gone `vantage`, for the
  /// sweep: a connected prober other than it has the sweep's tags, and the resolver is open
  /// (VantageBook::open_elsewhere).
  bool may_ask_elsewhere(std::uint64_t sweep, const std::string& vantage, const Endpoint& resolver) const;

  /// After a first judging: its flagged answers may be asked again (not yet re-asked, and no
  /// unit given up at the deadline).
  bool may_reask(std::uint64_t sweep) const;
  /// The re-ask phase, from the sweep's open units (its re-ask units are taken), from
  /// `not_before` on. With no unit to run the sweep is judged again at once.
  void enter_reask(std::uint64_t sweep, std::vector<StoredUnit> units, std::int64_t not_before);
  /// The ordered judging has ended (the sweep goes on re-asking, or is ended).
  void judging_ended(std::uint64_t sweep);
  /// Forgets an ended sweep.
  void end(std::uint64_t sweep);

  /// Judgings ordered since the last call, oldest first.
  std::vector<JudgeOrder> take_judge_orders();
  /// What happened, for the service's log, since the last call.
  std::vector<std::string> take_notes();

 private:
  void begin_judging(SweepState& s, const std::string& state);
  /// A question's answer sets and their digests (none beyond max_answer_sets_).
  void keep_answer_sets(SweepState& s, const Question& question, std::vector<protocol::AnswerSet> sets);
  /// Whether every question the unit asks has its truth in.
  static bool truths_found(const SweepState& s, const OpenUnit& unit);
  /// Forgets a unit of the sweep (the ledger's and the lifecycle's), not its place in open_units.
  void forget_unit(std::uint64_t unit);
  void give_up_bound_units(SweepState& s);
  void give_up_open_units(SweepState& s, const char* what);
  /// A prober is gone: in every re-asking sweep, each of its re-ask units whose resolvers are
  /// all open goes to any prober of the sweep (unbound) when one is connected; the others are
  /// given up, and so are the sweep's unbound re-ask units when no prober may run them now.
  void reask_units_of_gone(const std::string& prober);
  /// A connected prober other than `gone` with the sweep's tags.
  bool stand_in_exists(const SweepState& s, const std::string& gone) const;
  /// How long re-ask units are waited for after their delay.
  std::int64_t reask_wait_ms() const;

  WorkLedger ledger_;
  VantageBook vantages_;
  LedgerConfig ledger_config_;
  std::size_t max_answer_sets_;
  std::map<std::uint64_t, SweepState> sweeps_;
  std::map<std::uint64_t, OpenUnit> units_;
  std::vector<JudgeOrder> orders_;
  std::vector<std::string> notes_;
};

}  // namespace mxsentry
