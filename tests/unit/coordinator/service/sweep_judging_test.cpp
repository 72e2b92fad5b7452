// A sweep judged from its database, streaming: the first judging hands back only the flagged
// verdicts and stores nothing; the final one stores every verdict, batch by batch, with what
// the re-asked answers said. A real SQLite file under /tmp; the truth is given (no network).
#include <catch2/catch.hpp>

#include <algorithm>

#include "coordinator/service/sweep_judging.h"
#include "coordinator/sweep/sweep_schema.h"
#include "coordinator/sweep/sweep_store.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

constexpr std::uint16_t type_a = 1;
constexpr std::int64_t first_ms = 1'700'000'000'000;

std::string resolver_at(std::uint32_t i) {  // 198.18.0.0/15, the benchmarking range
  return "198.18." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250);
}

Observation answer(const std::string& resolver, const std::string& address, std::uint32_t ttl, std::int64_t at_ms) {
  Observation o = test::answer_of(resolver, "mx.example.", type_a, {test::rr("mx.example.", type_a, ttl, address)});
  o.time_ms = at_ms;
  return o;
}

/// A judging of `sweep` against a known truth of mx.example. A (`records`); `final` stores the verdicts.
SweepJudging judging_of(const std::string& db, std::uint64_t sweep, const AnalysisConfig& config,
                        const std::vector<ResourceRecord>& records, bool final) {
  SweepJudging j;
  j.db_path = db;
  j.sweep = sweep;
  j.config = &config;
  j.known = std::make_shared<SweepTruth>();
  j.known->truths.emplace(Question{"mx.example.", type_a}, test::truth_of("mx.example.", type_a, records));
  j.write_verdicts = final;
  return j;
}

/// A sweep of `count` resolvers asked once each by vp1; two of them (3 and 4) answer with a
/// forged address, the rest with the truth.
struct JudgedFixture {
  test::TempFile db{""};
  std::uint64_t sweep = 0;
  std::uint32_t count;

  explicit JudgedFixture(std::uint32_t resolvers, bool with_forgeries = true) : count(resolvers) {
    SweepStore store(db.path());
    std::vector<protocol::WorkTask> tasks;
    for (std::uint32_t i = 0; i < count; ++i) tasks.push_back({i, resolver_at(i), "mx.example.", type_a});
    sweep = store.create_sweep("stream", "shard", SweepPlan{{}, {UnitPlan{std::nullopt, tasks, {}}}}, 0);
    std::uint64_t unit = store.open_units(sweep).at(0).id;
    std::vector<StoredResult> results;
    for (std::uint32_t i = 0; i < count; ++i) {
      bool forged = with_forgeries && (i == 3 || i == 4);
      results.push_back(StoredResult{unit, i, "vp1",
                                     answer(resolver_at(i), forged ? "203.0.113.66" : "192.0.2.10", 300, first_ms)});
    }
    store.add_results(results);
  }

  SweepJudging job(bool final) const {
    return judging_of(db.path(), sweep, config, {test::rr("mx.example.", type_a, 300, "192.0.2.10")}, final);
  }

  AnalysisConfig config;
};

}  // namespace

TEST_CASE("sweep judging: a first judging hands back the flagged verdicts only, and stores none", "[judging][sweep]") {
  JudgedFixture f(50);
  JudgedSweep judged = judge_sweep(f.job(false));
  REQUIRE(judged.error.empty());
  CHECK_FALSE(judged.stored);
  REQUIRE(judged.verdicts.size() == 2);
  for (const auto& v : judged.verdicts) {
    CHECK(v.flagged());
    CHECK((v.resolver.to_string() == resolver_at(3) || v.resolver.to_string() == resolver_at(4)));
  }
  CHECK(SweepStore(f.db.path()).verdict_lines(f.sweep).empty());
}

TEST_CASE("sweep judging: the final judging stores every verdict across batches, none held back", "[judging][sweep]") {
  JudgedFixture f(12'001);  // more than two batches of 5,000
  Verdict leftover;  // from an earlier judging, cut short: replaced
  leftover.vantage = "vp1";
  leftover.resolver = *Endpoint::parse("192.0.2.99");
  leftover.qname = "mx.example.";
  leftover.qtype = type_a;
  SweepStore(f.db.path()).set_verdicts(f.sweep, {leftover});
  JudgedSweep judged = judge_sweep(f.job(true));
  REQUIRE(judged.error.empty());
  CHECK(judged.stored);
  CHECK(judged.written == 12'001);
  CHECK(judged.verdicts.empty());
  std::vector<std::string> lines = SweepStore(f.db.path()).verdict_lines(f.sweep);
  REQUIRE(lines.size() == 12'001);
  CHECK(std::none_of(lines.begin(), lines.end(), [](const std::string& l) { return l.find("192.0.2.99") != std::string::npos; }));
  auto flagged = std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("\"verdict\":\"consistent\"") == std::string::npos;
  });
  CHECK(flagged == 2);
  // Judged again (a restart), the verdicts are replaced, not doubled.
  REQUIRE(judge_sweep(f.job(true)).error.empty());
  CHECK(SweepStore(f.db.path()).verdict_lines(f.sweep).size() == 12'001);
}

TEST_CASE("sweep judging: a forged answer asked again with its TTL counted down is a cached forgery", "[judging][sweep]") {
  JudgedFixture f(20);
  {
    SweepStore store(f.db.path());
    store.add_reask_units(f.sweep, {UnitPlan{std::string("vp1"), {{0, resolver_at(3), "mx.example.", type_a}}, {}}});
    std::uint64_t reask_unit = 0;
    for (const auto& u : store.open_units(f.sweep))
      if (u.reask) reask_unit = u.id;
    REQUIRE(reask_unit != 0);
    store.add_results({StoredResult{reask_unit, 0, "vp1", answer(resolver_at(3), "203.0.113.66", 240, first_ms + 60'000)}});
  }
  JudgedSweep judged = judge_sweep(f.job(true));
  REQUIRE(judged.error.empty());
  CHECK(judged.written == 20);  // the re-asked answer completes a verdict; it is not one of its own
  std::vector<std::string> lines = SweepStore(f.db.path()).verdict_lines(f.sweep);
  auto with = [&](const std::string& resolver) {
    return *std::find_if(lines.begin(), lines.end(),
                         [&](const std::string& l) { return l.find("\"" + resolver + "\"") != std::string::npos; });
  };
  CHECK(with(resolver_at(3)).find("cached-forgery") != std::string::npos);
  CHECK(with(resolver_at(4)).find("cached-forgery") == std::string::npos);
}

TEST_CASE("sweep judging: the final judging takes the first one's counts, unless results came since", "[judging][sweep]") {
  JudgedFixture f(20);
  SweepJudging first = f.job(false);
  std::shared_ptr<SweepTruth> kept = first.known;
  REQUIRE(judge_sweep(first).error.empty());
  REQUIRE(kept->counts.has_value());
  CHECK(kept->counts->observations == 20);

  auto final_lines = [&](std::shared_ptr<SweepTruth> known) {
    SweepJudging job = f.job(true);
    job.known = std::move(known);
    REQUIRE(judge_sweep(job).error.empty());
    return SweepStore(f.db.path()).verdict_lines(f.sweep);
  };
  const std::vector<std::string> counted_again = final_lines(f.job(true).known);  // no counts: counts itself
  REQUIRE(std::count_if(counted_again.begin(), counted_again.end(), [](const std::string& l) {
            return l.find("rare-answer") != std::string::npos;
          }) == 2);
  auto with_counts = [&](const Judge::Counts& counts) {
    std::shared_ptr<SweepTruth> truth = f.job(true).known;
    truth->counts = counts;
    return truth;
  };
  CHECK(final_lines(with_counts(*kept->counts)) == counted_again);

  // The counts are what the final judging reads: counts in which every resolver gave the
  // forged address make it no longer rare...
  auto forged_everywhere = with_counts(*kept->counts);
  forged_everywhere->counts->distribution = AnswerDistribution{};
  for (std::uint32_t i = 0; i < 20; ++i)
    forged_everywhere->counts->distribution.add("vp1", answer(resolver_at(i), "203.0.113.66", 300, first_ms), 0);
  CHECK(final_lines(forged_everywhere) != counted_again);
  // ...but counts of another number of results than the store holds are not taken.
  forged_everywhere->counts->observations = 19;
  CHECK(final_lines(forged_everywhere) == counted_again);

  // The answers counted as they came (answer_counter.h) are taken the same way.
  auto with_counted = [&](Judge::Counts counts) {
    SweepJudging job = f.job(true);
    job.counted = std::move(counts);
    JudgedSweep judged = judge_sweep(job);
    REQUIRE(judged.error.empty());
    return std::make_pair(judged.counted_before, SweepStore(f.db.path()).verdict_lines(f.sweep));
  };
  CHECK(with_counted(*kept->counts) == std::make_pair(true, counted_again));
  Judge::Counts as_if_common = *kept->counts;
  as_if_common.distribution = AnswerDistribution{};
  for (std::uint32_t i = 0; i < 20; ++i)
    as_if_common.distribution.add("vp1", answer(resolver_at(i), "203.0.113.66", 300, first_ms), 0);
  CHECK(with_counted(as_if_common).second != counted_again);
  as_if_common.observations = 21;
  CHECK(with_counted(as_if_common) == std::make_pair(false, counted_again));
}

TEST_CASE("sweep judging: a first judging judges against the truth found at launch, not looked up again", "[judging][sweep]") {
  JudgedFixture f(30, false);
  SweepJudging job = f.job(false);
  job.found = std::move(job.known);  // found when the sweep started; nothing re-verified yet
  job.known = nullptr;
  // Looking the truth up would need these files: it would fail, naming them.
  job.truth.root_hints = "/nonexistent/mxsentry-test/root.hints";
  job.truth.trust_anchor = "/nonexistent/mxsentry-test/root.key";
  JudgedSweep judged = judge_sweep(job);
  REQUIRE(judged.error.empty());
  CHECK(judged.verdicts.empty());  // every answer is the truth's: nothing flagged
  CHECK(judged.truth == job.found);  // kept for the final judging

  job.found = nullptr;  // after a restart the launch's truth is gone: looked up, here in vain
  CHECK_FALSE(judge_sweep(job).error.empty());
}

namespace {

/// A sweep of compact results: 40 resolvers give one of the truth's two answer sets (a
/// provider that rotates), two of them with a TTL above the authoritative one, and one forges.
struct CompactFixture {
  test::TempFile db{""};
  std::uint64_t sweep = 0;
  AnalysisConfig config;
  std::vector<protocol::AnswerSet> sets{
      {0, {test::rr("mx.example.", type_a, 300, "192.0.2.10")}},
      {0, {test::rr("mx.example.", type_a, 300, "192.0.2.11")}},
  };

  CompactFixture() {
    SweepStore store(db.path());
    SweepSettings settings;
    settings.digest_key = protocol::DigestKey{11, 22};
    std::vector<protocol::WorkTask> tasks;
    for (std::uint32_t i = 0; i < 40; ++i) tasks.push_back({i, resolver_at(i), "mx.example.", type_a});
    sweep = store.create_sweep("compact", "shard", SweepPlan{{}, {UnitPlan{std::nullopt, tasks, {}}}}, 0, settings);
    store.set_answer_sets(sweep, AnswerSets{{Question{"mx.example.", type_a}, sets}});
    std::vector<std::uint64_t> digests;
    for (const auto& s : sets) digests.push_back(protocol::answer_set_digest(settings.digest_key, s.rcode, s.records));
    std::uint64_t unit = store.open_units(sweep).at(0).id;
    std::vector<StoredResult> results;
    for (std::uint32_t i = 0; i < 40; ++i) {
      std::string address = i == 7 ? "203.0.113.66" : i % 2 ? "192.0.2.11" : "192.0.2.10";
      std::uint32_t ttl = i == 5 || i == 6 ? 86'400 : 300 - i;
      StoredResult r{unit, i, i % 3 ? "vp1" : "vp2", answer(resolver_at(i), address, ttl, first_ms + i)};
      r.matched = protocol::match_answer(r.observation, settings.digest_key, digests);
      REQUIRE(r.matched.has_value() == (i != 7));
      results.push_back(std::move(r));
    }
    store.add_results(results);
  }

  SweepJudging job(bool compact) const {
    std::vector<ResourceRecord> truth;
    for (const auto& s : sets) truth.insert(truth.end(), s.records.begin(), s.records.end());
    SweepJudging j = judging_of(db.path(), sweep, config, truth, true);
    j.compact_verdicts = compact;
    return j;
  }

  std::vector<std::string> sorted_lines() const {
    std::vector<std::string> lines = SweepStore(db.path()).verdict_lines(sweep);
    std::sort(lines.begin(), lines.end());
    return lines;
  }
  std::int64_t rows(const char* table) const {
    SqliteDb file(db.path(), sweep_schema());
    Statement count(file, (std::string("SELECT count(*) FROM ") + table).c_str());
    std::int64_t n = -1;
    while (count.step()) n = count.integer(0);
    return n;
  }
};

}  // namespace

TEST_CASE("sweep judging: plain matches kept as their answer set's verdict, the others beside their results, "
          "listed exactly as rows would be",
          "[judging][sweep]") {
  CompactFixture f;
  JudgedSweep with_rows = judge_sweep(f.job(false));
  REQUIRE(with_rows.error.empty());
  CHECK(with_rows.implied == 0);
  std::vector<std::string> expected = f.sorted_lines();
  REQUIRE(expected.size() == 40);
  CHECK(f.rows("sweep_verdicts") == 40);

  JudgedSweep implied = judge_sweep(f.job(true));
  REQUIRE(implied.error.empty());
  CHECK(implied.written == 40);
  // Everything but the forgery (full) and the two raised TTLs (evidence beyond the match).
  CHECK(implied.implied == 37);
  // The other three are kept beside their results, with no row of their own.
  CHECK(f.rows("sweep_verdicts") == 0);
  CHECK(f.rows("sweep_judgments") == 3);
  CHECK(f.rows("sweep_match_verdicts") == 2);  // one per answer set
  // Counted by class with the results the templates stand for: 39 consistent, 1 flagged.
  auto counts = SweepStore(f.db.path()).verdict_counts(f.sweep);
  CHECK(counts.at("consistent") == 39);
  CHECK(counts.size() == 2);
  CHECK(f.sorted_lines() == expected);
  auto ttl_rows = f.sorted_lines();
  CHECK(std::count_if(ttl_rows.begin(), ttl_rows.end(), [](const std::string& l) {
          return l.find("ttl-above-authoritative") != std::string::npos;
        }) == 2);

  // Judged again without templates (or re-judged after a restart): no verdict doubled or lost.
  REQUIRE(judge_sweep(f.job(false)).error.empty());
  CHECK(f.rows("sweep_match_verdicts") == 0);
  CHECK(f.rows("sweep_judgments") == 0);
  CHECK(f.rows("sweep_expected") == 0);
  CHECK(f.sorted_lines() == expected);
}
