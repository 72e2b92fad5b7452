// The coordinator's file across versions: a file of the release before schema versions is
// migrated (verdicts in the shared shape, answer records in the probe's form) with its rows
// kept, a new file gets the newest version, a newer file is refused.
#include <catch2/catch.hpp>

#include "coordinator/sweep/sweep_store.h"
#include "protocol/message_codec.h"
#include "tests/unit/sqlite_file.h"

using namespace mxsentry;
using mxsentry::test::SqliteFile;

namespace {

// The schema of `layout-ready`, the last release without schema versions.
const std::string layout_ready_schema = MXSENTRY_SOURCE_DIR "/tests/unit/coordinator/sweep/layout_ready_schema.sql";

const char* old_verdict_line =
    R"({"vantage":"vp1","resolver":"192.0.2.53","qname":"example.","qtype":"MX","verdict":"suspicious",)"
    R"("confidence":0.600,"evidence":["record-mismatch"],"observed":["10 mx.evil.example."],)"
    R"("expected":["10 mx.example."],"ttl":300,"expected_ttl":300,"dnssec":"insecure","rcode":"NOERROR"})";

// A sweep as the last release left it: a unit, a task with its result, answer sets, a verdict.
void fill_layout_ready_rows(const SqliteFile& file) {
  file.exec("INSERT INTO sweeps (id, name, assignment, state, created_ms, per_resolver_qps, timeout_ms, retries, "
            "deadline_ms) VALUES (1, 'nightly', 'shard', 'complete', 1000, 5, 2000, 2, 0);"
            "INSERT INTO units VALUES (1, 1, NULL, 1, 0);"
            "INSERT INTO tasks VALUES (1, 0, '192.0.2.53', 'example.', 15);"
            "INSERT INTO sweep_answers VALUES (1, 'example.', 15, 0, 0, '[[\"example.\",15,300,\"10 mx.example.\"]]');"
            "INSERT INTO sweep_answers VALUES (1, 'gone.example.', 1, 0, 3, '[]');"
            "INSERT INTO sweep_verdicts VALUES (1, 'vp1', '192.0.2.53', 'example.', 15, 'suspicious', '" +
            std::string(old_verdict_line) + "');");
  Observation o;
  o.resolver = *Endpoint::parse("192.0.2.53");
  o.qname = "example.";
  o.qtype = 15;
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.answers = {{"example.", 15, 300, "10 mx.evil.example."}};
  std::string blob = protocol::encode_observation(o);
  std::string hex;
  for (unsigned char c : blob) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 0xf];
  file.exec("INSERT INTO results VALUES (1, 0, 'vp1', x'" + hex + "');");
}

}  // namespace

TEST_CASE("sweep schema: a file from before schema versions is migrated, its rows kept", "[sweep][storage]") {
  SqliteFile file;
  file.exec_file(layout_ready_schema);
  fill_layout_ready_rows(file);
  REQUIRE(file.version() == 0);

  SweepStore store(file.path());
  CHECK(file.version() == 9);
  auto s = store.sweep(1);
  REQUIRE(s);
  CHECK(s->name == "nightly");
  CHECK(s->results == 1);
  // Version 6: the old unit keeps its listed task, counted and read as before.
  CHECK(s->tasks == 1);
  CHECK(file.rows("SELECT resolver_count, task_count FROM units") == std::vector<std::string>{"0|1"});
  CHECK(store.questions(1) == std::vector<std::pair<std::string, std::uint16_t>>{{"example.", 15}});
  auto results = store.results(1);
  REQUIRE(results.size() == 1);
  CHECK(results[0].observation.answers[0].rdata == "10 mx.evil.example.");

  CHECK(store.verdict_lines(1) == std::vector<std::string>{old_verdict_line});
  CHECK(file.rows("SELECT sweep_id, qtype, verdict, confidence FROM sweep_verdicts") ==
        std::vector<std::string>{"1|MX|suspicious|0.6"});

  AnswerSets expected;
  expected[Question{"example.", 15}] = {protocol::AnswerSet{0, {{"example.", 15, 300, "10 mx.example."}}}};
  expected[Question{"gone.example.", 1}] = {protocol::AnswerSet{3, {}}};
  CHECK(store.answer_sets(1) == expected);
  CHECK(file.rows("SELECT records FROM sweep_answers WHERE qname = 'example.'") ==
        std::vector<std::string>{R"([{"name":"example.","type":"MX","ttl":300,"rdata":"10 mx.example."}])"});

  // Version 3: the migrated file keeps the resolvers' tagged ASes of a sweep.
  CHECK(store.resolver_asns(1).empty());
  store.set_resolver_asns(1, {{"192.0.2.53", 19281}});
  CHECK(store.resolver_asns(1) == std::map<std::string, std::uint32_t>{{"192.0.2.53", 19281}});
}

TEST_CASE("sweep schema: a new file has the newest version and the migrated shape", "[sweep][storage]") {
  test::check_new_file_like_migrated<SweepStore>(layout_ready_schema, 9);
}

TEST_CASE("sweep schema: a file of a newer mxsentry is refused", "[sweep][storage]") {
  test::check_newer_file_refused<SweepStore>(layout_ready_schema, 9);
}
