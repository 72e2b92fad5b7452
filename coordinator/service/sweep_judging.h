#pragma once
// A finished sweep judged through the judging pipeline of a local check (coordinator/judging/),
// streaming: the results are read from the store in passes, one at a time, never all at once:
// the truth of every question it asked, found from the root, every stored result with its
// resolver's tagged AS (kept with the sweep), the questions with unmatched answers asked of the
// authoritative servers again. Answers flagged at first and asked again later (re-ask units)
// get the evidence of that second answer: cached-forgery or fresh-ttl when their own vantage
// asked, reasked-elsewhere and cached-forgery only when another one did (second_answers.h).
// Runs on a worker thread with its own database connection (WAL lets it read while the
// coordinator's loop writes).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coordinator/analysis/analysis_config.h"
#include "coordinator/analysis/verdict.h"
#include "coordinator/judging/judge.h"
#include "coordinator/truth/truth_run.h"
#include "protocol/dns/question.h"
#include "targets/asn_database.h"
#include "targets/prefix_list.h"

namespace mxsentry {

/// What the first judging learnt from the authoritative servers, kept for the second one
/// (after re-asking): the truths, the records they gave only when asked again, and the
/// validator holding the zones' validated keys.
struct SweepTruth {
  dnssec::Validator validator;
  std::map<Question, Truth> truths;
  std::set<std::string> reverified;
  /// What the first judging counted of the measurement's answers: the final one reads only the
  /// re-ask results instead of counting every result again, as long as no result came since.
  std::optional<Judge::Counts> counts;
};

struct JudgedSweep {
  /// Flagged verdicts only (the answers to ask again), when the judging did not store them.
  std::vector<Verdict> verdicts;
  bool stored = false;      ///< every verdict was stored (write_verdicts)
  std::size_t written = 0;  ///< how many
  std::size_t implied = 0;  ///< of them, plain matches kept as their answer set's template (no row)
  bool counted_before = false;  ///< the answers' counts were taken, not counted by a pass of its own
  std::string error;  ///< why there are no verdicts (empty when judged)
  /// The error is the database refusing a write (SqliteWriteError: a full disk, an I/O error),
  /// not its content nor a bug: the same judging may succeed later.
  bool write_failed = false;
  std::shared_ptr<SweepTruth> truth;
  std::set<std::uint32_t> resolver_ases;  ///< the resolvers' own ASes known to the judging
};

struct SweepJudging {
  std::string db_path;
  std::uint64_t sweep = 0;
  bool all_mode = false;  ///< every vantage asked the same resolvers: vantage-local is meaningful
  TruthOptions truth;     ///< root hints and trust anchor; the questions are the sweep's
  const AnalysisConfig* config = nullptr;
  const AsnDatabase* asn_db = nullptr;  ///< may be null
  const PrefixList* ioc = nullptr;      ///< may be null
  std::shared_ptr<SweepTruth> known;    ///< from a first judging: not asked for again
  /// Found when the sweep started (may be null): judged against, re-verified where answers
  /// differ, never looked up from the root again.
  std::shared_ptr<SweepTruth> found;
  /// The measurement's answers counted as they came (answer_counter.h): taken instead of a
  /// counting pass when they are as many as the stored results.
  std::optional<Judge::Counts> counted;
  /// Questions of `found` re-verified while the sweep ran (early_reverify.h): not asked again.
  std::set<Question> reverified_questions;
  /// The final judging: every verdict stored as it is judged, replacing any stored before.
  /// Otherwise (a first judging whose flagged answers may be asked again) nothing is stored.
  bool write_verdicts = false;
  /// Verdicts are stored compactly: a plain match of a compact result as its answer set's
  /// template (coordinator/sweep/match_verdicts.h), every other verdict as its result's
  /// judgment (coordinator/sweep/stored_judgment.h). Off only to compare with full rows in tests.
  bool compact_verdicts = true;
};

/// Never throws: an error is returned in JudgedSweep::error.
JudgedSweep judge_sweep(SweepJudging job);

}  // namespace mxsentry
