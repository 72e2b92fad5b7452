// The sweep store on a real SQLite file: units and tasks kept, results idempotent by
// (unit, task), and what a restarted coordinator reads back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

#include <sqlite3.h>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/sweep/sweep_plan.h"
#include "coordinator/sweep/sweep_schema.h"
#include "coordinator/sweep/sweep_store.h"
#include "prober/core/not_asked.h"
#include "protocol/answer_sets.h"
#include "protocol/message_codec.h"
#include "protocol/stored_matched.h"
#include "tests/unit/sqlite_file.h"

using namespace mxsentry;

namespace {

struct TempDb {
  std::string path;
  TempDb() {
    char name[] = "/tmp/mxsentry-sweep-store-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
  }
  ~TempDb() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  }
};

SweepPlan two_units() {
  return {{}, {UnitPlan{std::nullopt, {{0, "192.0.2.1", "a.example.", 1}, {1, "192.0.2.2", "a.example.", 1}}, {}},
          UnitPlan{std::string("vp2"), {{0, "192.0.2.1", "b.example.", 28}}, {}}}};
}

StoredResult result(std::uint64_t unit, std::uint32_t task, const std::string& address) {
  StoredResult r;
  r.unit = unit;
  r.task = task;
  r.vantage = "vp1";
  r.observation.resolver = *Endpoint::parse("192.0.2.1");
  r.observation.qname = "a.example.";
  r.observation.qtype = 1;
  r.observation.task_index = task;
  r.observation.outcome = Outcome::answer;
  r.observation.rcode = 0;
  r.observation.answers = {{"a.example.", 1, 60, address}};
  return r;
}

}  // namespace

TEST_CASE("sweep store: a sweep's units and tasks are kept", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("nightly", "shard", two_units(), 1000);
  auto s = store.sweep(id);
  REQUIRE(s);
  CHECK(s->name == "nightly");
  CHECK(s->state == "running");
  CHECK(s->units == 2);
  CHECK(s->tasks == 3);
  CHECK(s->results == 0);
  auto open = store.open_units();
  REQUIRE(open.size() == 2);
  CHECK(open[0].tasks.size() == 2);
  CHECK_FALSE(open[0].owner);
  CHECK(open[1].owner == std::string("vp2"));
  CHECK(open[1].tasks[0] == protocol::WorkTask{0, "192.0.2.1", "b.example.", 28});
  CHECK_FALSE(store.sweep(id + 1));
}

TEST_CASE("sweep store: a result counts once, whoever sends it again", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("s", "shard", two_units(), 1000);
  auto unit = store.open_units()[0].id;
  CHECK(store.add_results({result(unit, 0, "192.0.2.10")}) == 1);
  CHECK(store.add_results({result(unit, 0, "203.0.113.66"), result(unit, 1, "192.0.2.10")}) == 1);
  auto results = store.results(id);
  REQUIRE(results.size() == 2);
  CHECK(results[0].observation.answers[0].rdata == "192.0.2.10");  // the first copy stays
  CHECK(results[1].task == 1);
  CHECK(store.sweep(id)->results == 2);
}

TEST_CASE("sweep store: a restarted coordinator finds what was done and what was not", "[sweep]") {
  TempDb db;
  std::uint64_t id = 0, first = 0;
  {
    SweepStore store(db.path);
    id = store.create_sweep("s", "all", two_units(), 1000);
    first = store.open_units()[0].id;
    store.add_results({result(first, 1, "192.0.2.10")});
  }  // the process ends here; what was committed is on disk
  SweepStore store(db.path);
  auto open = store.open_units();
  REQUIRE(open.size() == 2);
  CHECK(open[0].tasks_done == std::vector<std::uint32_t>{1});
  CHECK(open[1].tasks_done.empty());
  store.add_results({result(first, 0, "192.0.2.10")});
  store.mark_unit_done(first);
  CHECK(store.open_units().size() == 1);
  store.set_sweep_state(id, "complete");
  CHECK(store.open_units().empty());
  CHECK(store.sweeps().size() == 1);
  CHECK(store.sweep(id)->units_done == 1);
}

TEST_CASE("sweep store: a file that is not a database is an error naming it", "[sweep]") {
  TempDb db;
  { FILE* f = std::fopen(db.path.c_str(), "w"); std::fputs("not sqlite at all, just text that is long enough", f); std::fclose(f); }
  CHECK_THROWS_WITH(SweepStore(db.path), Catch::Contains(db.path));
}

TEST_CASE("sweep store: settings, priority and prober selector are kept, latest start by name", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  CHECK_FALSE(store.last_started_ms("nightly"));
  SweepSettings settings;
  settings.per_resolver_qps = 0.5;
  settings.timeout_ms = 1500;
  settings.retries = 1;
  settings.deadline_ms = 99'000;
  settings.priority = 1;
  settings.probers = "region=eu";
  auto first = store.create_sweep("nightly", "shard", two_units(), 1000, settings);
  store.create_sweep("nightly", "all", two_units(), 5000);
  store.create_sweep("other", "shard", two_units(), 7000);
  auto s = store.sweep(first);
  REQUIRE(s);
  CHECK(s->settings.per_resolver_qps == 0.5);
  CHECK(s->settings.timeout_ms == 1500);
  CHECK(s->settings.retries == 1);
  CHECK(s->settings.deadline_ms == 99'000);
  CHECK(s->settings.priority == 1);
  CHECK(s->settings.probers == "region=eu");
  CHECK(store.last_started_ms("nightly") == 5000);
  CHECK(store.last_started_ms("other") == 7000);
}

TEST_CASE("sweep store: a database from before priorities gets the new columns", "[sweep]") {
  test::SqliteFile db;
  db.exec("CREATE TABLE sweeps (id INTEGER PRIMARY KEY, name TEXT NOT NULL, assignment TEXT NOT NULL, "
          "state TEXT NOT NULL DEFAULT 'running', created_ms INTEGER NOT NULL, per_resolver_qps REAL NOT NULL, "
          "timeout_ms INTEGER NOT NULL, retries INTEGER NOT NULL, deadline_ms INTEGER NOT NULL);"
          "INSERT INTO sweeps (name, assignment, created_ms, per_resolver_qps, timeout_ms, retries, deadline_ms) "
          "VALUES ('old', 'shard', 42, 5, 2000, 2, 0);");
  SweepStore store(db.path());
  auto s = store.sweep(1);
  REQUIRE(s);
  CHECK(s->name == "old");
  CHECK(s->settings.priority == 0);
  CHECK(s->settings.probers.empty());
  CHECK(store.create_sweep("new", "shard", two_units(), 50) == 2);
}

TEST_CASE("sweep store: a sweep's digest key and answer sets are kept", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  SweepSettings settings;
  settings.digest_key = protocol::DigestKey{0xfedcba9876543210ull, 42};  // above INT64_MAX: stored as its bits
  auto id = store.create_sweep("nightly", "shard", two_units(), 1000, settings);
  CHECK(store.sweep(id)->settings.digest_key == settings.digest_key);
  CHECK(store.answer_sets(id).empty());

  AnswerSets sets;
  sets[Question{"a.example.", 1}] = {protocol::AnswerSet{0, {{"a.example.", 1, 300, "192.0.2.10"}}},
                                     protocol::AnswerSet{0, {{"a.example.", 1, 300, "192.0.2.11"}}}};
  sets[Question{"gone.example.", 1}] = {protocol::AnswerSet{3, {}}};
  store.set_answer_sets(id, sets);
  CHECK(store.answer_sets(id) == sets);
  sets.erase(Question{"gone.example.", 1});
  store.set_answer_sets(id, sets);  // replaces
  CHECK(store.answer_sets(id) == sets);
}

TEST_CASE("sweep store: re-ask units are kept apart from the measurement's counts", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("nightly", "shard", two_units(), 1000);
  CHECK_FALSE(store.has_reask_units(id));
  store.add_reask_units(id, {UnitPlan{std::string("vp1"), {{0, "192.0.2.1", "a.example.", 1}}, {}}});
  CHECK(store.has_reask_units(id));
  auto open = store.open_units(id);
  REQUIRE(open.size() == 3);
  CHECK_FALSE(open[0].reask);
  CHECK(open[2].reask);
  CHECK(open[2].owner == std::string("vp1"));
  store.add_results({result(open[2].id, 0, "203.0.113.66"), result(open[0].id, 0, "192.0.2.10")});
  auto s = store.sweep(id);
  CHECK(s->units == 2);  // the measurement's
  CHECK(s->tasks == 3);
  CHECK(s->results == 1);
  CHECK(s->reasked == 1);
  auto results = store.results(id);
  REQUIRE(results.size() == 2);
  CHECK(std::count_if(results.begin(), results.end(), [](const StoredResult& r) { return r.reask; }) == 1);
  CHECK(store.open_units(id + 1).empty());
}

// Tasks not asked: counted by reason, read back as such; older databases gain the column.

namespace {

StoredResult result_of(std::uint64_t unit, std::uint32_t task, Observation o) {
  StoredResult r;
  r.unit = unit;
  r.task = task;
  r.vantage = "vp1";
  o.task_index = task;
  r.observation = std::move(o);
  return r;
}

Observation refused(NotAskedReason reason) {
  return not_asked(Task{*Endpoint::parse("10.0.0.1"), "a.example.", 1, 0}, reason, 1000);
}

Observation timed_out() {
  Observation o;
  o.resolver = *Endpoint::parse("192.0.2.1");
  o.qname = "a.example.";
  o.qtype = 1;
  o.outcome = Outcome::timeout;
  return o;
}

SweepPlan one_unit(std::uint32_t tasks) {
  UnitPlan unit{std::nullopt, {}, {}};
  for (std::uint32_t i = 0; i < tasks; ++i) unit.tasks.push_back({i, "10.0.0.1", "a.example.", 1});
  return {{}, {unit}};
}

}  // namespace

TEST_CASE("sweep store: tasks not asked are counted by reason and read back", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("lab", "shard", one_unit(4), 1000);
  auto unit = store.open_units(id).at(0).id;
  store.add_results({result_of(unit, 0, refused(NotAskedReason::private_refused)),
                     result_of(unit, 1, refused(NotAskedReason::private_refused)),
                     result_of(unit, 2, refused(NotAskedReason::opt_out)), result_of(unit, 3, timed_out())});
  auto s = store.sweep(id);
  REQUIRE(s);
  CHECK(s->results == 4);
  CHECK(s->not_asked == std::map<std::string, std::uint64_t>{{"opt-out", 1}, {"private-refused", 2}});
  CHECK(store.sweeps().at(0).not_asked == s->not_asked);
  auto results = store.results(id);
  REQUIRE(results.size() == 4);
  CHECK(results[0].observation.outcome == Outcome::not_asked);
  CHECK(results[2].observation.not_asked == NotAskedReason::opt_out);
  CHECK(results[3].observation.outcome == Outcome::timeout);
  // A duplicate is ignored, and counts nothing twice.
  store.add_results({result_of(unit, 2, refused(NotAskedReason::opt_out))});
  CHECK(store.sweep(id)->not_asked.at("opt-out") == 1);
}

TEST_CASE("sweep store: a database from before not-asked (version 3) gets the column, its results kept", "[sweep]") {
  TempDb db;
  std::uint64_t id = 0;
  {
    SweepStore store(db.path);
    id = store.create_sweep("old", "shard", one_unit(1), 1000);
    store.add_results({result_of(store.open_units(id).at(0).id, 0, timed_out())});
  }
  {
    // As an older mxsentry left it: version 3, no not_asked column.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
    CHECK(sqlite3_exec(raw,
                       "DROP INDEX results_not_asked; ALTER TABLE results DROP COLUMN not_asked; "
                       "ALTER TABLE results DROP COLUMN compact; DROP TABLE sweep_resolvers; DROP TABLE sweep_questions; DROP TABLE sweep_match_verdicts; DROP TABLE sweep_judgments; DROP TABLE sweep_expected; "
                       "ALTER TABLE units DROP COLUMN resolver_first; ALTER TABLE units DROP COLUMN resolver_count; "
                       "ALTER TABLE units DROP COLUMN task_first; ALTER TABLE units DROP COLUMN task_count; ALTER TABLE units DROP COLUMN results; "
                       "PRAGMA user_version = 3",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  SweepStore store(db.path);
  auto s = store.sweep(id);
  REQUIRE(s);
  CHECK(s->results == 1);
  CHECK(s->not_asked.empty());
  auto second = store.create_sweep("new", "shard", one_unit(1), 2000);
  store.add_results({result_of(store.open_units(second).at(0).id, 0, refused(NotAskedReason::opt_out))});
  CHECK(store.sweep(second)->not_asked.at("opt-out") == 1);
}

TEST_CASE("sweep store: verdicts cleared then added in batches replace the earlier ones, every one kept", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("s", "shard", two_units(), 1000);
  auto verdict_for = [](int i) {
    Verdict v;
    v.vantage = "vp1";
    v.resolver = *Endpoint::parse("192.0.2." + std::to_string(i));
    v.qname = "mx.example.com.";
    v.qtype = 1;
    v.verdict = VerdictClass::consistent;
    return v;
  };
  store.set_verdicts(id, {verdict_for(200), verdict_for(201)});
  std::vector<Verdict> judged;
  for (int i = 1; i <= 7; ++i) judged.push_back(verdict_for(i));
  store.clear_verdicts(id);
  for (std::size_t from = 0; from < judged.size(); from += 3)  // batches of 3, 3 and 1
    store.add_verdicts(id, std::span<const Verdict>(judged).subspan(from, std::min<std::size_t>(3, judged.size() - from)));
  std::vector<std::string> lines = store.verdict_lines(id);
  REQUIRE(lines.size() == 7);
  CHECK(std::none_of(lines.begin(), lines.end(), [](const std::string& l) { return l.find("192.0.2.20") != std::string::npos; }));
}

TEST_CASE("sweep store: a compact result is kept compact and read back in full", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  SweepSettings settings;
  settings.digest_key = protocol::DigestKey{0x0123456789abcdefull, 7};
  auto id = store.create_sweep("compact", "shard", two_units(), 1000, settings);
  const std::vector<ResourceRecord> first_set{{"a.example.", 1, 300, "192.0.2.10"}},
      second_set{{"a.example.", 1, 300, "192.0.2.11"}};
  AnswerSets sets;
  sets[Question{"a.example.", 1}] = {protocol::AnswerSet{0, first_set}, protocol::AnswerSet{0, second_set}};
  store.set_answer_sets(id, sets);
  std::uint64_t unit = store.open_units(id).at(0).id;  // tasks: 192.0.2.1 and 192.0.2.2, a.example. A

  Observation seen = result(unit, 1, "192.0.2.11").observation;
  seen.resolver = *Endpoint::parse("192.0.2.2");
  seen.answers = {{"a.example.", 1, 250, "192.0.2.11"}};  // the second set, its TTL counted down
  seen.time_ms = 1'700'000'000'000;
  seen.rtt_ms = 12.3456;
  seen.edns = Edns{true, 1232, 0, true};
  auto matched = protocol::match_answer(seen, settings.digest_key,
                                        {protocol::answer_set_digest(settings.digest_key, 0, first_set),
                                         protocol::answer_set_digest(settings.digest_key, 0, second_set)});
  REQUIRE(matched);
  CHECK(matched->answer_set == 1);
  StoredResult compact{unit, 1, "vp1", seen, false, matched};
  StoredResult full = result(unit, 0, "192.0.2.1");
  REQUIRE(store.add_results({full, compact}) == 2);

  auto back = store.results(id);
  REQUIRE(back.size() == 2);
  CHECK(back[0].observation.answers[0].rdata == "192.0.2.1");  // the full one as it was
  const Observation& rebuilt = back[1].observation;
  CHECK(rebuilt.resolver == seen.resolver);
  CHECK(rebuilt.qname == "a.example.");
  REQUIRE(rebuilt.answers.size() == 1);
  CHECK(rebuilt.answers[0].rdata == "192.0.2.11");
  CHECK(rebuilt.answers[0].ttl == 250);
  CHECK(rebuilt.time_ms == seen.time_ms);

  CHECK(rebuilt.rtt_ms == Approx(seen.rtt_ms).margin(0.0005));  // kept in whole microseconds
  std::vector<std::uint32_t> full_only;
  store.for_each_full_result(id, [&](StoredResult&& r) { full_only.push_back(r.task); });
  CHECK(full_only == std::vector<std::uint32_t>{0});
  CHECK(rebuilt.edns == seen.edns);
  CHECK(rebuilt.flags == seen.flags);

  // What the row holds: the store's form, smaller than the prober's and a fraction of the full one.
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
  sqlite3_stmt* size = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT length(observation) FROM results WHERE compact = 2", -1, &size, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(size) == SQLITE_ROW);
  const auto kept = static_cast<std::size_t>(sqlite3_column_int(size, 0));
  CHECK(kept == protocol::encode_stored_matched(*matched, 1000)->size());
  CHECK(kept < protocol::encode_matched(*matched).size());
  CHECK(kept < protocol::encode_observation(seen).size() / 4);
  sqlite3_finalize(size);

  // The same result in the prober's form (sweeps stored before the store's own) reads back the same.
  sqlite3_stmt* update = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "UPDATE results SET observation = ?, compact = 1 WHERE compact = 2", -1, &update,
                             nullptr) == SQLITE_OK);
  const std::string wire = protocol::encode_matched(*matched);
  sqlite3_bind_blob(update, 1, wire.data(), static_cast<int>(wire.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(update) == SQLITE_DONE);
  sqlite3_finalize(update);
  sqlite3_close(raw);
  auto again = store.results(id);
  REQUIRE(again.size() == 2);
  const Observation& from_wire = again[1].observation;
  CHECK(from_wire.answers == rebuilt.answers);
  CHECK(from_wire.time_ms == rebuilt.time_ms);
  CHECK(from_wire.edns == rebuilt.edns);
  CHECK(from_wire.rtt_ms == Approx(rebuilt.rtt_ms).margin(0.0005));
}

TEST_CASE("sweep store: a planned sweep keeps its inputs once and its units as ranges", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  SweepRequest request;
  for (int i = 1; i <= 50; ++i) request.resolvers.push_back("192.0.2." + std::to_string(i));
  for (int i = 0; i < 20; ++i) request.questions.push_back({"n" + std::to_string(i) + ".example.", 1});
  request.unit_size = 300;
  SweepSettings settings;
  settings.digest_key = protocol::DigestKey{11, 13};
  SweepPlan plan = plan_units(request);  // 1,000 tasks: units of 300, 300, 300 and 100
  auto id = store.create_sweep("ranged", "shard", plan, 1000, settings);

  // Rows in proportion to the inputs and units, none per task.
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
  auto count = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
  };
  CHECK(count("SELECT count(*) FROM tasks") == 0);
  CHECK(count("SELECT count(*) FROM sweep_resolvers") == 50);
  CHECK(count("SELECT count(*) FROM sweep_questions") == 20);
  sqlite3_close(raw);
  CHECK(store.sweep(id)->tasks == 1000);
  CHECK(store.questions(id).size() == 20);

  auto space = store.task_space(id);
  CHECK(space->resolvers == plan.space.resolvers);
  CHECK(space->questions == plan.space.questions);
  auto open = store.open_units(id);
  REQUIRE(open.size() == 4);
  for (std::size_t i = 0; i < open.size(); ++i) {
    CHECK(open[i].tasks.empty());
    CHECK(open[i].range == plan.units[i].range);
  }

  // A compact result of a range unit is rebuilt from the task its index names.
  const TaskRange& third = open[2].range;  // tasks 600..899: n12 onwards
  protocol::WorkTask task = work_task(*space, third, 7);
  const std::vector<ResourceRecord> truth{{task.qname, 1, 300, "198.51.100.7"}};
  AnswerSets sets;
  sets[Question{task.qname, 1}] = {protocol::AnswerSet{0, truth}};
  store.set_answer_sets(id, sets);
  Observation seen;
  seen.resolver = *Endpoint::parse(task.resolver);
  seen.qname = task.qname;
  seen.qtype = 1;
  seen.task_index = 7;
  seen.outcome = Outcome::answer;
  seen.rcode = 0;
  seen.answers = truth;
  auto matched = protocol::match_answer(seen, settings.digest_key, {protocol::answer_set_digest(settings.digest_key, 0, truth)});
  REQUIRE(matched);
  REQUIRE(store.add_results({StoredResult{open[2].id, 7, "vp1", seen, false, matched}}) == 1);
  auto back = store.results(id);
  REQUIRE(back.size() == 1);
  CHECK(back[0].observation.resolver == seen.resolver);
  CHECK(back[0].observation.qname == task.qname);
  CHECK(task.qname == "n12.example.");
  CHECK(back[0].observation.answers == truth);
  CHECK(store.open_units(id)[2].tasks_done == std::vector<std::uint32_t>{7});
}

TEST_CASE("sweep store: inputs with a gap in their indices are refused, not shifted", "[sweep]") {
  TempDb db;
  SweepStore store(db.path);
  SweepRequest request;
  request.resolvers = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  request.questions = {{"a.example.", 1}};
  auto id = store.create_sweep("gap", "shard", plan_units(request), 1000);
  REQUIRE(store.task_space(id)->resolvers.size() == 3);
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "DELETE FROM sweep_resolvers WHERE idx = 1", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  CHECK_THROWS_WITH(store.task_space(id), "sweep 1: its stored resolvers have gaps");
}

// Verdicts kept beside their results (schema version 9, stored_judgment.h).

TEST_CASE("sweep store: judgments come back with their results, a re-ask result with its first answer's verdict",
          "[sweep][storage]") {
  TempDb db;
  SweepStore store(db.path);
  auto id = store.create_sweep("s", "shard", two_units(), 1000);
  auto units = store.open_units(id);
  store.add_reask_units(id, {UnitPlan{std::string("vp1"), {{0, "192.0.2.1", "a.example.", 1}}, {}},
                             UnitPlan{std::nullopt, {{0, "192.0.2.1", "a.example.", 1}}, {}}});
  const std::uint64_t reask_unit = store.open_units(id).at(2).id, elsewhere_unit = store.open_units(id).at(3).id;
  // Task 0 forged, task 1 consistent; the forged answer asked again, by its vantage and (as if
  // that one had gone) by another.
  StoredResult by_vp2 = result(elsewhere_unit, 0, "203.0.113.66");
  by_vp2.vantage = "vp2";
  store.add_results({result(units[0].id, 0, "203.0.113.66"), result(units[0].id, 1, "192.0.2.10"),
                     result(reask_unit, 0, "203.0.113.66"), by_vp2});
  const ExpectedFacts facts{{"192.0.2.10"}, 60, "insecure"};
  auto judged = [&](StoredResult r, VerdictClass c, std::vector<Evidence> evidence) {
    Verdict v = base_verdict(r.vantage, r.observation, facts);
    v.verdict = c;
    v.confidence = 0.75;
    v.evidence = std::move(evidence);
    return std::make_pair(v, SweepStore::Judgment{r.unit, r.task, stored_judgment(v, r.vantage, r.observation, facts)});
  };
  auto [forged, forged_row] = judged(result(units[0].id, 0, "203.0.113.66"), VerdictClass::poisoned,
                                     {Evidence::not_in_truth, Evidence::cached_forgery});
  auto [clean, clean_row] = judged(result(units[0].id, 1, "192.0.2.10"), VerdictClass::consistent,
                                   {Evidence::match, Evidence::ttl_above_authoritative});
  store.add_judgments(id, std::vector<SweepStore::Judgment>{forged_row}, {{Question{"a.example.", 1}, facts}});
  store.add_judgments(id, std::vector<SweepStore::Judgment>{clean_row}, {});

  std::vector<std::string> seen;
  store.for_each_judged_result(id, {}, [&](StoredResult&& r, const Verdict* v) {
    REQUIRE(v);
    seen.push_back(std::string(r.reask ? "again " : "") + verdict_json_line(*v));
  });
  CHECK(seen == std::vector<std::string>{verdict_json_line(forged), verdict_json_line(clean),
                                         "again " + verdict_json_line(forged), "again " + verdict_json_line(forged)});
  // Through the class index: the poisoned one, and its re-ask result.
  seen.clear();
  store.for_each_judged_result(id, {VerdictClass::poisoned}, [&](StoredResult&& r, const Verdict* v) {
    REQUIRE(v);
    seen.push_back(std::string(r.reask ? "again " : "") + to_string(v->verdict));
  });
  CHECK(seen == std::vector<std::string>{"poisoned", "again poisoned", "again poisoned"});
  // Listed once each (a re-ask result is no verdict of its own), counted by class.
  CHECK(store.verdict_lines(id) == std::vector<std::string>{verdict_json_line(forged), verdict_json_line(clean)});
  CHECK(store.verdict_counts(id) == std::map<std::string, std::uint64_t>{{"consistent", 1}, {"poisoned", 1}});

  // A damaged row names its result instead of passing for another verdict.
  {
    SqliteDb file(db.path, sweep_schema());
    file.exec("UPDATE sweep_judgments SET evidence = x'ff' WHERE idx = 1");
  }
  CHECK_THROWS_WITH(store.verdict_lines(id), Catch::Contains("task 1") && Catch::Contains("evidence 255"));
  store.clear_verdicts(id);
  CHECK(store.verdict_lines(id).empty());
  CHECK(store.verdict_counts(id).empty());
}
