// `mxsentry export` and `mxsentry import` on a check file made by the store: COF records
// aggregated per resolver and RRset, verdicts carried by forged ones, hand-written COF with bad
// lines, and the round trip export -> import -> export giving the same records.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "coordinator/check/check_store.h"
#include "coordinator/cli/export_command.h"
#include "coordinator/cli/import_command.h"
#include "targets/ioc_list.h"
#include "tests/unit/coordinator/cli/plainmail_checks.h"
#include "tests/unit/sqlite_file.h"

using namespace mxsentry;

namespace {


struct Ran {
  int status;
  std::string out, err;
};

Ran run_export_to(const std::string& db, const std::string& format, const std::string& out_path,
                  std::set<std::string> verdicts = {}) {
  ExportOptions o;
  o.selection.db = db;
  o.selection.verdicts = std::move(verdicts);
  o.format = format;
  o.out = out_path;
  std::ostringstream err;
  int status = run_export(o, err);
  return {status, status == 0 ? test::read_whole_file(out_path) : "", err.str()};
}

Ran run_import_of(const std::vector<std::string>& files, const std::string& db, const std::string& stdin_text = "") {
  ImportOptions o;
  o.files = files;
  o.db = db;
  std::istringstream in(stdin_text);
  std::ostringstream err;
  int status = run_import(o, in, err);
  return {status, "", err.str()};
}

std::vector<nlohmann::json> lines_of(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("export cof: one record per resolver and RRset across checks, forged ones flagged", "[cli][export]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  test::TempFile out("");
  auto r = run_export_to(db.path(), "cof", out.path());
  REQUIRE(r.status == 0);
  auto records = lines_of(r.out);
  REQUIRE(records.size() == 2);
  const auto& honest = records[0];
  CHECK(honest["sensor_id"] == "mxsentry:vp1:192.0.2.53");
  CHECK(honest["rrname"] == "mx.plainmail.net.");
  CHECK(honest["rrtype"] == "A");
  CHECK(honest["rdata"] == nlohmann::json::array({"198.51.100.25"}));
  CHECK(honest["count"] == 2);
  CHECK(honest["time_first"] == 1796637600);
  CHECK(honest["time_last"] == 1796641200);
  CHECK(honest["time_last_ms"] == 1796641200500);
  CHECK(honest["bailiwick"] == "plainmail.net.");
  CHECK(honest["origin"] == "mxsentry:check/1");
  CHECK_FALSE(honest.contains("verdict"));
  const auto& forged = records[1];
  CHECK(forged["sensor_id"] == "mxsentry:vp1:192.0.2.66");
  CHECK(forged["rdata"] == nlohmann::json::array({"203.0.113.66"}));
  CHECK(forged["verdict"] == "poisoned");
  CHECK(forged["evidence"] == nlohmann::json::array({"asn-mismatch", "not-in-truth"}));
  CHECK(forged["time_first_ms"] == 1796637600010);
  CHECK(forged["time_last_ms"] == 1796641200510);
}

TEST_CASE("export: csv and jsonl verdicts, the verdict filter, the output never the database", "[cli][export]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  test::TempFile out("");
  auto jsonl = run_export_to(db.path(), "jsonl", out.path(), {"poisoned"});
  REQUIRE(jsonl.status == 0);
  auto verdicts = lines_of(jsonl.out);
  REQUIRE(verdicts.size() == 2);
  CHECK(verdicts[0]["check"] == 1);
  CHECK(verdicts[1]["check"] == 2);
  CHECK(verdicts[0]["verdict"] == "poisoned");
  auto csv = run_export_to(db.path(), "csv", out.path());
  REQUIRE(csv.status == 0);
  CHECK(csv.out.rfind("run,run_id,vantage,resolver,qname,qtype,verdict,confidence,evidence,", 0) == 0);
  CHECK_THAT(csv.out, Catch::Contains("\r\ncheck,1,vp1,192.0.2.66,mx.plainmail.net.,A,poisoned,"));
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 5);

  std::string before = test::read_whole_file(db.path());
  auto refused = run_export_to(db.path(), "cof", db.path());
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Catch::Contains("is the database being exported"));
  CHECK(test::read_whole_file(db.path()) == before);
  CHECK(run_export_to(db.path(), "cof", db.path() + "-wal").status == 2);
}

TEST_CASE("export: a failed export leaves the file it would have replaced, and no temporary file", "[cli][export]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  test::TempFile out("an older export\n");
  ExportOptions o;
  o.selection.db = db.path();
  o.selection.check = 99;
  o.format = "cof";
  o.out = out.path();
  std::ostringstream err;
  CHECK(run_export(o, err) == 2);
  CHECK_THAT(err.str(), Catch::Contains("no check 99"));
  CHECK(test::read_whole_file(out.path()) == "an older export\n");
  auto dir = std::filesystem::path(out.path()).parent_path();
  auto prefix = std::filesystem::path(out.path()).filename().string() + ".tmp.";
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    CHECK(entry.path().filename().string().rfind(prefix, 0) != 0);
  o.selection.check = 2;
  CHECK(run_export(o, err) == 0);
  CHECK(lines_of(test::read_whole_file(out.path())).size() == 2);
}

TEST_CASE("export ioc: the forged address, which the --ioc reader reads back", "[cli][export]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  test::TempFile out("");
  auto r = run_export_to(db.path(), "ioc", out.path());
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("\n203.0.113.66 # poisoned first=2026-12-07T10:00:00Z last=2026-12-07T11:00:00Z "
                                    "names=mx.plainmail.net. resolvers=192.0.2.66\n"));
  CHECK_THAT(r.out, !Catch::Contains("198.51.100.25"));
  PrefixList list = load_ioc_list(out.path());
  CHECK(list.size() == 1);
  CHECK(list.match(*Endpoint::parse("203.0.113.66")) != nullptr);
}

TEST_CASE("export: an injected second response is a record and its address an IOC", "[cli][export]") {
  test::SqliteFile db;
  {
    CheckStore store(db.path());
    Observation o = test::plainmail_answer("192.0.2.70", "mx.plainmail.net.", 1796637600000, {{"mx.plainmail.net.", 1, 300, "198.51.100.25"}});
    ExtraResponse injected;
    injected.rcode = 0;
    injected.answers = {{"mx.plainmail.net.", 1, 300, "203.0.113.99"}};
    injected.after_ms = 4;
    o.extra_responses.push_back(injected);
    store.save({"plainmail.net."}, "vp1", {o}, {}, {test::plainmail_verdict("192.0.2.70", VerdictClass::poisoned, {"198.51.100.25"})});
  }
  test::TempFile out("");
  auto cof = run_export_to(db.path(), "cof", out.path());
  REQUIRE(cof.status == 0);
  auto records = lines_of(cof.out);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["rdata"] == nlohmann::json::array({"198.51.100.25"}));
  CHECK(records[1]["rdata"] == nlohmann::json::array({"203.0.113.99"}));
  CHECK(records[1]["time_first_ms"] == 1796637600004);
  CHECK(records[1]["verdict"] == "poisoned");
  auto ioc = run_export_to(db.path(), "ioc", out.path());
  REQUIRE(ioc.status == 0);
  CHECK_THAT(ioc.out, Catch::Contains("\n203.0.113.99 # poisoned "));
  CHECK_THAT(ioc.out, !Catch::Contains("198.51.100.25"));
}

TEST_CASE("import cof: hand-written lines, a bad one named by file and line, the rest kept", "[cli][import]") {
  test::TempFile cof(
      R"({"rrname":"www.example.org","rrtype":"AAAA","rdata":"2001:db8::1","time_first":1700000000,"time_last":1700003600,"count":3,"sensor_id":"circl:1","x_note":"kept"})"
      "\n"
      "{not json\n"
      "\n"
      R"({"rrname":"example.org","rrtype":15,"rdata":["10 mx.example.org.","20 mx2.example.org."],"time_first":1700000000,"time_last":1700000000})"
      "\n"
      R"({"rrname":"example.org","rrtype":"MX","rdata":"x","time_first":5,"time_last":1})"
      "\n");
  test::SqliteFile db;
  auto r = run_import_of({cof.path()}, db.path());
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains(cof.path() + ":2: not JSON"));
  CHECK_THAT(r.err, Catch::Contains(cof.path() + ":5: time_first: after time_last"));
  CHECK_THAT(r.err, Catch::Contains("2 records imported"));
  CHECK(db.rows("SELECT rrtype, line FROM cof_records ORDER BY line") == std::vector<std::string>{"28|1", "15|4"});

  // Importing again keeps nothing twice; standard input works as a file named "-".
  auto again = run_import_of({cof.path(), "-"}, db.path(),
                             R"({"rrname":"a.example.org","rrtype":"A","rdata":"192.0.2.7","time_first":1,"time_last":2})"
                             "\n");
  CHECK_THAT(again.err, Catch::Contains("1 records imported, 2 kept already"));
  CHECK(db.rows("SELECT count(*) FROM cof_records") == std::vector<std::string>{"3"});

  test::TempFile out("");
  auto exported = run_export_to(db.path(), "cof", out.path());
  REQUIRE(exported.status == 0);
  auto records = lines_of(exported.out);
  REQUIRE(records.size() == 3);
  CHECK(records[2]["sensor_id"] == "circl:1");
  CHECK(records[2]["x_note"] == "kept");
  CHECK(records[2]["count"] == 3);
}

TEST_CASE("cof round trip: export, import, export gives the same records", "[cli][import][export]") {
  test::SqliteFile db, copy;
  test::make_plainmail_checks(db.path());
  test::TempFile first(""), second("");
  auto exported = run_export_to(db.path(), "cof", first.path());
  REQUIRE(exported.status == 0);
  REQUIRE(lines_of(exported.out).size() == 2);
  auto imported = run_import_of({first.path()}, copy.path());
  REQUIRE(imported.status == 0);
  auto again = run_export_to(copy.path(), "cof", second.path());
  REQUIRE(again.status == 0);
  CHECK(again.out == exported.out);
}
