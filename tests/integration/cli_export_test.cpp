// `mxsentry export` and `mxsentry import` as a user runs them, on a coordinator's file made by
// the store: COF aggregated across sweeps, one sweep, a time range, rdata per record, an IOC
// list, an output path that names the database refused, export -> import -> export, and dnstap
// read back by readers that are not ours (fstrm_dump, dnstap-ldns).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "coordinator/sweep/sweep_store.h"
#include "protocol/answer_sets.h"
#include "integration/child_process.h"
#include "integration/json_lines.h"

using namespace mxsentry::test;

namespace {

constexpr std::int64_t first_sweep_ms = 1796637600000;  // 2026-12-07T10:00:00Z
constexpr std::int64_t second_sweep_ms = 1796641200000;  // an hour later

mxsentry::Observation answer(const std::string& resolver, std::int64_t time_ms, const std::string& address) {
  mxsentry::Observation o;
  o.resolver = *mxsentry::Endpoint::parse(resolver);
  o.qname = "mx.plainmail.net.";
  o.qtype = 1;
  o.outcome = mxsentry::Outcome::answer;
  o.rcode = 0;
  o.answers = {{"mx.plainmail.net.", 1, 3600, address}};
  o.time_ms = time_ms;
  return o;
}

mxsentry::Verdict verdict(const std::string& resolver, mxsentry::VerdictClass c, const std::string& observed) {
  mxsentry::Verdict v;
  v.vantage = "vp1";
  v.resolver = *mxsentry::Endpoint::parse(resolver);
  v.qname = "mx.plainmail.net.";
  v.qtype = 1;
  v.verdict = c;
  v.observed = {observed};
  v.expected = {"198.51.100.25"};
  if (c == mxsentry::VerdictClass::poisoned) v.evidence = {mxsentry::Evidence::not_in_truth};
  return v;
}

// Two sweeps of one question at two resolvers; 192.0.2.66 gives a forged address both times.
void make_coordinator_file(const std::string& path) {
  mxsentry::SweepStore store(path);
  for (std::int64_t at : {first_sweep_ms, second_sweep_ms}) {
    mxsentry::UnitPlan unit;
    unit.tasks = {{0, "192.0.2.53", "mx.plainmail.net.", 1}, {1, "192.0.2.66", "mx.plainmail.net.", 1}};
    auto sweep = store.create_sweep("mail", "shard", mxsentry::SweepPlan{{}, {unit}}, at);
    auto units = store.open_units(sweep);
    REQUIRE(units.size() == 1);
    std::vector<mxsentry::StoredResult> results(2);
    results[0] = {units[0].id, 0, "vp1", answer("192.0.2.53", at + 100, "198.51.100.25")};
    results[1] = {units[0].id, 1, "vp1", answer("192.0.2.66", at + 200, "203.0.113.66")};
    REQUIRE(store.add_results(results) == 2);
    store.set_verdicts(sweep, {verdict("192.0.2.53", mxsentry::VerdictClass::consistent, "198.51.100.25"),
                               verdict("192.0.2.66", mxsentry::VerdictClass::poisoned, "203.0.113.66")});
  }
}


}  // namespace

TEST_CASE("cli: export cof aggregates across sweeps, or one sweep, or a time range", "[integration][cli][export]") {
  TempDir dir;
  std::string db = dir.path() + "/coordinator.sqlite";
  make_coordinator_file(db);

  auto all = run_command({MXSENTRY_BINARY, "export", "--db", db, "--format", "cof"});
  REQUIRE(all.exit_code == 0);
  CHECK(all.err.empty());  // no progress line when stderr is not a terminal
  auto records = json_lines(all.out);
  REQUIRE(records.size() == 2);
  const auto& forged = records[1];
  CHECK(forged["sensor_id"] == "mxsentry:vp1:192.0.2.66");
  CHECK(forged["rrtype"] == "A");
  CHECK(forged["rdata"] == nlohmann::json::array({"203.0.113.66"}));
  CHECK(forged["count"] == 2);
  CHECK(forged["time_first_ms"] == first_sweep_ms + 200);
  CHECK(forged["time_last_ms"] == second_sweep_ms + 200);
  CHECK(forged["time_first"] == (first_sweep_ms + 200) / 1000);
  CHECK(forged["origin"] == "mxsentry:sweep/1");
  CHECK(forged["verdict"] == "poisoned");
  CHECK(forged["evidence"] == nlohmann::json::array({"not-in-truth"}));
  CHECK_FALSE(records[0].contains("verdict"));

  auto second = run_command({MXSENTRY_BINARY, "export", "--db", db, "--sweep", "2", "--format", "cof"});
  REQUIRE(second.exit_code == 0);
  auto one = json_lines(second.out);
  REQUIRE(one.size() == 2);
  CHECK(one[1]["count"] == 1);
  CHECK(one[1]["origin"] == "mxsentry:sweep/2");

  auto later = run_command({MXSENTRY_BINARY, "export", "--db", db, "--since", "2026-12-07T10:30:00Z", "--verdict",
                            "poisoned", "--format", "cof", "--rdata-per-record"});
  REQUIRE(later.exit_code == 0);
  auto flagged = json_lines(later.out);
  REQUIRE(flagged.size() == 1);
  CHECK(flagged[0]["rdata"] == "203.0.113.66");
  CHECK(flagged[0]["time_first_ms"] == second_sweep_ms + 200);
}

TEST_CASE("cli: export ioc and jsonl to files, an output that is the database refused", "[integration][cli][export]") {
  TempDir dir;
  std::string db = dir.path() + "/coordinator.sqlite";
  make_coordinator_file(db);
  std::string ioc = dir.path() + "/forged.txt";
  auto r = run_command({MXSENTRY_BINARY, "export", "--db", db, "--format", "ioc", "--out", ioc});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(read_file(ioc), Catch::Contains("\n203.0.113.66 # poisoned first=2026-12-07T10:00:00Z "
                                             "last=2026-12-07T11:00:00Z names=mx.plainmail.net. resolvers=192.0.2.66\n"));

  auto jsonl = run_command({MXSENTRY_BINARY, "export", "--db", db, "--sweep", "1", "--format", "jsonl"});
  REQUIRE(jsonl.exit_code == 0);
  auto verdicts = json_lines(jsonl.out);
  REQUIRE(verdicts.size() == 2);
  CHECK(verdicts[0]["sweep"] == 1);

  std::string before = read_file(db);
  auto refused = run_command({MXSENTRY_BINARY, "export", "--db", db, "--format", "cof", "--out", db});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("is the database being exported"));
  CHECK(read_file(db) == before);
  auto wrong_kind = run_command({MXSENTRY_BINARY, "export", "--db", db, "--check", "1", "--format", "cof"});
  CHECK(wrong_kind.exit_code == 2);
  CHECK_THAT(wrong_kind.err, Catch::Contains("--check needs a check file"));
  auto missing = run_command({MXSENTRY_BINARY, "export", "--db", dir.path() + "/none.sqlite", "--format", "cof"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no such database file"));
}

TEST_CASE("cli: export, import and export again give the same COF records", "[integration][cli][export]") {
  TempDir dir;
  std::string db = dir.path() + "/coordinator.sqlite";
  make_coordinator_file(db);
  std::string cof = dir.path() + "/records.cof";
  REQUIRE(run_command({MXSENTRY_BINARY, "export", "--db", db, "--format", "cof", "--out", cof}).exit_code == 0);
  std::string imported = dir.path() + "/imported.sqlite";
  auto import = run_command({MXSENTRY_BINARY, "import", "--format", "cof", cof, "--db", imported});
  REQUIRE(import.exit_code == 0);
  CHECK_THAT(import.err, Catch::Contains("2 records imported"));
  auto again = run_command({MXSENTRY_BINARY, "export", "--db", imported, "--format", "cof"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == read_file(cof));

  std::string bad = dir.write("bad.cof", "{\"rrname\":\"a.\"}\n");
  auto partly = run_command({MXSENTRY_BINARY, "import", "--format", "cof", bad, cof, "--db", imported});
  CHECK(partly.exit_code == 1);
  CHECK_THAT(partly.err, Catch::Contains(bad + ":1: rrtype: missing"));
  CHECK_THAT(partly.err, Catch::Contains("0 records imported, 2 kept already, 1 bad lines skipped"));
  auto into_coordinator = run_command({MXSENTRY_BINARY, "import", "--format", "cof", cof, "--db", db});
  CHECK(into_coordinator.exit_code == 2);
}

namespace {

// One sweep: 192.0.2.53 gives the truth and travels compact (a matched result, expanded by the
// store's reader), 192.0.2.66 a forged address in full.
void make_compact_coordinator_file(const std::string& path) {
  mxsentry::SweepStore store(path);
  mxsentry::SweepSettings settings;
  settings.digest_key = mxsentry::protocol::DigestKey{0x5eed, 42};
  mxsentry::UnitPlan unit;
  unit.tasks = {{0, "192.0.2.53", "mx.plainmail.net.", 1}, {1, "192.0.2.66", "mx.plainmail.net.", 1}};
  auto sweep = store.create_sweep("mail", "shard", mxsentry::SweepPlan{{}, {unit}}, first_sweep_ms, settings);
  const std::vector<mxsentry::ResourceRecord> truth{{"mx.plainmail.net.", 1, 3600, "198.51.100.25"}};
  mxsentry::AnswerSets sets;
  sets[mxsentry::Question{"mx.plainmail.net.", 1}] = {mxsentry::protocol::AnswerSet{0, truth}};
  store.set_answer_sets(sweep, sets);
  auto units = store.open_units(sweep);
  REQUIRE(units.size() == 1);
  mxsentry::Observation honest = answer("192.0.2.53", first_sweep_ms + 100, "198.51.100.25");
  honest.rtt_ms = 20;
  honest.edns = mxsentry::Edns{true, 1232, 0, true};
  auto matched = mxsentry::protocol::match_answer(
      honest, settings.digest_key, {mxsentry::protocol::answer_set_digest(settings.digest_key, 0, truth)});
  REQUIRE(matched);
  mxsentry::Observation forged = answer("192.0.2.66", first_sweep_ms + 200, "203.0.113.66");
  forged.rtt_ms = 3;
  std::vector<mxsentry::StoredResult> results{{units[0].id, 0, "vp1", honest, false, matched},
                                              {units[0].id, 1, "vp1", forged}};
  REQUIRE(store.add_results(results) == 2);
  store.set_verdicts(sweep, {verdict("192.0.2.66", mxsentry::VerdictClass::poisoned, "203.0.113.66")});
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The path of a program on PATH, or "" when there is none.
std::string on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return dir + "/" + program;
  return "";
}

}  // namespace

TEST_CASE("cli: export dnstap, read back by fstrm_dump and dnstap-ldns", "[integration][cli][export]") {
  // Both readers come with scripts/install-deps (fstrm-bin, dnstap-ldns); without them this
  // test fails rather than passing unread.
  const std::string fstrm_dump = on_path("fstrm_dump"), dnstap_ldns = on_path("dnstap-ldns");
  INFO("scripts/install-deps installs fstrm_dump (fstrm-bin) and dnstap-ldns");
  REQUIRE_FALSE(fstrm_dump.empty());
  REQUIRE_FALSE(dnstap_ldns.empty());

  TempDir dir;
  std::string db = dir.path() + "/coordinator.sqlite";
  make_compact_coordinator_file(db);
  std::string file = dir.path() + "/sweep.dnstap";
  auto r = run_command({MXSENTRY_BINARY, "export", "--db", db, "--format", "dnstap", "--out", file});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());

  // Frame Streams: the content type and four data frames (a query and a response each).
  auto dump = run_command({fstrm_dump, file});
  INFO("fstrm_dump: " << dump.out << dump.err);
  REQUIRE(dump.exit_code == 0);
  CHECK_THAT(dump.out + dump.err, Catch::Contains("protobuf:dnstap.Dnstap"));
  CHECK(count_of(dump.out + dump.err, "Data frame") == 4);
  // The frames' bytes, escaped: the forged answer's two records name its verdict in `extra`
  // (which dnstap-ldns does not print).
  CHECK(count_of(dump.out + dump.err, "mxsentry:sweep/1 verdict=poisoned evidence=not-in-truth") == 2);

  // dnstap: one line per message in the quiet format, in the order of the store.
  auto quiet = run_command({dnstap_ldns, "-q", "-r", file});
  INFO("dnstap-ldns -q: " << quiet.out << quiet.err);
  REQUIRE(quiet.exit_code == 0);
  CHECK(count_of(quiet.out, " TQ ") == 2);
  CHECK(count_of(quiet.out, " TR ") == 2);
  CHECK(count_of(quiet.out, "192.0.2.53") == 2);
  CHECK(count_of(quiet.out, "192.0.2.66") == 2);
  CHECK(count_of(quiet.out, "\"mx.plainmail.net.\" IN A") == 4);

  // The wire messages themselves, as ldns prints them: the compact answer rebuilt, the forged one.
  auto yaml = run_command({dnstap_ldns, "-y", "-r", file});
  INFO("dnstap-ldns -y: " << yaml.out << yaml.err);
  REQUIRE(yaml.exit_code == 0);
  CHECK(count_of(yaml.out, "type: TOOL_QUERY") == 2);
  CHECK(count_of(yaml.out, "type: TOOL_RESPONSE") == 2);
  CHECK_THAT(yaml.out, Catch::Contains("198.51.100.25"));
  CHECK_THAT(yaml.out, Catch::Contains("203.0.113.66"));
  CHECK(count_of(yaml.out, "identity: \"mxsentry:vp1\"") == 4);
  CHECK(count_of(yaml.out, "response_port: 53") == 4);

  auto flagged = run_command({MXSENTRY_BINARY, "export", "--db", db, "--verdict", "poisoned", "--format", "dnstap"});
  REQUIRE(flagged.exit_code == 0);
  std::string only = dir.write("flagged.dnstap", flagged.out);
  auto flagged_quiet = run_command({dnstap_ldns, "-q", "-r", only});
  REQUIRE(flagged_quiet.exit_code == 0);
  CHECK(count_of(flagged_quiet.out, "192.0.2.66") == 2);
  CHECK(count_of(flagged_quiet.out, "192.0.2.53") == 0);
}
