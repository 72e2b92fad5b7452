#pragma once
// A coordinator's memory: sweeps, their work units and every result, in SQLite (WAL). Results
// are keyed by (unit, task): the first copy is kept and a duplicate is ignored by the database
// itself, so a coordinator killed at any moment and restarted loses nothing it had committed
// and counts nothing twice. Each batch of results is one transaction.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "coordinator/sweep/match_verdicts.h"
#include "coordinator/sweep/stored_judgment.h"
#include "coordinator/sweep/sweep_plan.h"
#include "protocol/dns/question.h"
#include "protocol/answer_sets.h"
#include "protocol/messages.h"

#include "results/sqlite_db.h"

namespace mxsentry {

/// How the probers ask: sent with every unit of the sweep.
struct SweepSettings {
  double per_resolver_qps = 5;
  std::uint32_t timeout_ms = 2000;
  std::uint32_t retries = 2;
  std::int64_t deadline_ms = 0;  ///< units bound to a vantage wait until then (Unix ms); 0 = none
  int priority = 0;              ///< on-demand checks (1) go before sweeps (0)
  std::string probers;           ///< which probers may run it: ProberSelector text ("k=v,..."; "" = any)
  protocol::DigestKey digest_key;  ///< keys the digests of its answer sets (compact results)
};

/// The truth's answer sets of each question of a sweep (protocol/answer_sets.h).
using AnswerSets = std::map<Question, std::vector<protocol::AnswerSet>>;

struct StoredUnit {
  std::uint64_t id = 0;
  std::uint64_t sweep = 0;
  std::optional<std::string> owner;
  std::vector<protocol::WorkTask> tasks;  ///< listed one by one (re-asks, sweeps planned before ranges)
  TaskRange range;                        ///< or a range over the sweep's task_space()
  std::vector<std::uint32_t> tasks_done;
  bool done = false;
  bool reask = false;  ///< asks flagged answers again, after the first judging
};

struct StoredSweep {
  std::uint64_t id = 0;
  std::string name;
  std::string assignment;  ///< "all" or "shard"
  std::string state;       ///< "running", "complete", "incomplete"
  std::int64_t created_ms = 0;
  SweepSettings settings;
  std::uint64_t units = 0, units_done = 0, tasks = 0, results = 0;
  std::uint64_t reasked = 0;  ///< flagged answers asked again (results of re-ask units)
  std::map<std::string, std::uint64_t> not_asked;  ///< results refused on purpose, by reason ("opt-out": 3)
};

/// How a result row keeps its observation (`results.compact`).
enum class CompactForm : std::int64_t {
  full = 0,    ///< the whole observation
  wire = 1,    ///< a compact result as the prober sent it (sweeps stored before the next form)
  stored = 2,  ///< a compact result in the store's smaller form (protocol::encode_stored_matched)
};

struct StoredResult {
  std::uint64_t unit = 0;
  std::uint32_t task = 0;
  std::string vantage;
  Observation observation;
  bool reask = false;  ///< the second asking of a flagged answer
  /// A compact result (the answer is one of the truth's answer sets): kept in this form, a
  /// tenth of the full one, and rebuilt from the sweep's answer sets when read back.
  std::optional<protocol::MatchedResult> matched = std::nullopt;
};

class SweepStore {
 public:
  /// Opens or creates the database; throws std::runtime_error naming the file.
  explicit SweepStore(const std::string& path);

  /// A new sweep: its interned inputs and all its units, in one transaction; returns the sweep id.
  std::uint64_t create_sweep(const std::string& name, const std::string& assignment, const SweepPlan& plan,
                             std::int64_t now_ms, const SweepSettings& settings = {});
  /// The sweep's interned inputs that its units' ranges index (empty for a sweep whose units
  /// list their tasks). Throws std::runtime_error when their indices have gaps.
  std::shared_ptr<TaskSpace> task_space(std::uint64_t sweep);
  /// Units that ask flagged answers again (bound to the vantage that saw them), in one transaction.
  void add_reask_units(std::uint64_t sweep, const std::vector<UnitPlan>& units);
  bool has_reask_units(std::uint64_t sweep);
  /// Keeps what is new of a batch (one transaction); returns how many results were new.
  std::size_t add_results(const std::vector<StoredResult>& results);
  void mark_unit_done(std::uint64_t unit);
  /// Results, then the units they finish, in one transaction; returns how many results were new.
  std::size_t write_batch(const std::vector<StoredResult>& results, const std::vector<std::uint64_t>& done_units);
  void set_sweep_state(std::uint64_t sweep, const std::string& state);
  /// Keeps the resolvers' tagged ASes (address text -> ASN), in one transaction.
  void set_resolver_asns(std::uint64_t sweep, const std::map<std::string, std::uint32_t>& asns);
  /// A sweep's tagged ASes (address text -> ASN); empty when none were kept.
  std::map<std::string, std::uint32_t> resolver_asns(std::uint64_t sweep);

  /// Units of running sweeps (or of one) that are not done, with the tasks that already have results.
  std::vector<StoredUnit> open_units(std::optional<std::uint64_t> sweep = std::nullopt);
  std::optional<StoredSweep> sweep(std::uint64_t id);
  std::vector<StoredSweep> sweeps();
  std::vector<StoredResult> results(std::uint64_t sweep);
  /// Each of the sweep's results in turn, decoded one at a time (memory flat in the sweep's
  /// size), in the order of results(); `reask` results included.
  void for_each_result(std::uint64_t sweep, const std::function<void(StoredResult&&)>& visit);
  /// for_each_result, the results of re-ask units only.
  void for_each_reask_result(std::uint64_t sweep, const std::function<void(StoredResult&&)>& visit);
  /// for_each_result, the full results only (compact ones are neither read nor rebuilt).
  void for_each_full_result(std::uint64_t sweep, const std::function<void(StoredResult&&)>& visit);
  /// The answer sets compact results are rebuilt from, replacing any kept before.
  void set_answer_sets(std::uint64_t sweep, const AnswerSets& sets);
  AnswerSets answer_sets(std::uint64_t sweep);
  /// When the latest sweep of this name was created (scheduled sweeps count from it).
  std::optional<std::int64_t> last_started_ms(const std::string& name);
  /// The distinct questions of a sweep (its interned ones and those of listed tasks).
  std::vector<std::pair<std::string, std::uint16_t>> questions(std::uint64_t sweep);
  /// Replaces the sweep's verdicts with rows of their own, not tied to a stored result (one
  /// transaction): as sweeps were judged before schema version 9; tests and tools use it.
  void set_verdicts(std::uint64_t sweep, const std::vector<Verdict>& verdicts);
  /// For a judging that writes as it goes: forgets the sweep's verdicts (rows, judgments,
  /// expected facts and templates), then adds them batch by batch, each batch its own
  /// transaction, so that a million verdicts never hold the write lock for long. A crash part
  /// way leaves verdicts that the next judging replaces.
  void clear_verdicts(std::uint64_t sweep);
  void add_verdicts(std::uint64_t sweep, std::span<const Verdict> verdicts);
  /// The verdict of one stored result, as stored_judgment.h keeps it.
  struct Judgment {
    std::uint64_t unit = 0;
    std::uint32_t task = 0;
    StoredJudgment judgment;
  };
  /// Adds judgments and the expected facts of questions that had none (by canonical question),
  /// in one transaction.
  void add_judgments(std::uint64_t sweep, std::span<const Judgment> judgments,
                     const std::vector<std::pair<Question, ExpectedFacts>>& new_facts);
  /// Each of the sweep's results with its verdict, in the order of for_each_result: its
  /// judgment, else its answer set's template (a plain match), else a row of its own with the
  /// same vantage, resolver and question. A re-ask result has the verdict of the answer it
  /// asked again. `verdict` is null for a result without any (a sweep not judged yet).
  /// With `classes`, only results whose verdict is of one of them (read through the class
  /// index when `consistent` is not among them and the sweep has no rows of its own).
  void for_each_judged_result(std::uint64_t sweep, const std::set<VerdictClass>& classes,
                              const std::function<void(StoredResult&&, const Verdict*)>& visit);
  /// The templates of the sweep's plain matches (match_verdicts.h), replacing any kept before.
  void set_match_templates(std::uint64_t sweep, const MatchTemplates& templates);
  MatchTemplates match_templates(std::uint64_t sweep);
  /// How many verdicts of each class the sweep has (those with rows and the implied ones).
  std::map<std::string, std::uint64_t> verdict_counts(std::uint64_t sweep);
  /// Every verdict of the sweep as a JSON line (append_verdict_json, no newline), one at a
  /// time: the rows of their own in resolver and question order, then the verdicts of the
  /// results (judgments and implied ones) in the order of results().
  void for_each_verdict_line(std::uint64_t sweep, const std::function<void(const std::string&)>& visit);
  /// The same, the results' verdicts handed over as they are, never written as JSON: `row`
  /// gets each row's line, `rebuilt` each result's verdict (for readers that want Verdicts).
  void for_each_verdict(std::uint64_t sweep, const std::function<void(const std::string&)>& row,
                        const std::function<void(const Verdict&)>& rebuilt);
  /// for_each_verdict_line, gathered.
  std::vector<std::string> verdict_lines(std::uint64_t sweep);

 private:
  void insert_units(std::uint64_t sweep, const std::vector<UnitPlan>& units, bool reask);
  void forget_match_templates(std::uint64_t sweep);  ///< inside the caller's transaction
  /// The results; with `judgments`, each with its judgment when it has one (else null), and
  /// with `classes` only those whose judgment is of one of them.
  void visit_results(std::uint64_t sweep, bool full_only, const std::function<void(StoredResult&&)>& visit);
  /// Which results visit_results_where reads, and whether with their judgments.
  struct ResultFilter {
    bool full_only = false;
    bool reask_only = false;
    const std::set<VerdictClass>* classes = nullptr;  ///< judged results of these classes and re-ask results
    bool judgments = false;
  };
  void visit_results_where(std::uint64_t sweep, const ResultFilter& filter,
                           const std::function<void(StoredResult&&, const StoredJudgment*)>& visit);
  std::map<Question, ExpectedFacts> expected_facts(std::uint64_t sweep);
  /// Deletes every verdict of the sweep, inside the caller's transaction.
  void forget_verdicts(std::uint64_t sweep);
  /// Each result with its verdict (for_each_judged_result); `from_row`: the verdict is a row
  /// of its own (looked up by key only when `rows`); `classes` as visit_results_where.
  void for_each_result_verdict(std::uint64_t sweep, const std::set<VerdictClass>* classes, bool rows,
                               const std::function<void(StoredResult&&, const Verdict*, bool from_row)>& visit);
  bool has_verdict_rows(std::uint64_t sweep);
  std::map<std::string, std::uint64_t> not_asked_counts(std::uint64_t sweep);
  SqliteDb db_;
};

}  // namespace mxsentry
