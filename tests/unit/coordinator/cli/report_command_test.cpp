// `mxsentry report` on check files made by the store: the data gathered from them (verdicts,
// trend, forged records over both checks, resolvers' countries from a catalog), the page
// written, an empty store, and the refusals (an output naming the store, a run not in it).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "coordinator/check/check_store.h"
#include "coordinator/cli/report_command.h"
#include "coordinator/sweep/sweep_store.h"
#include "tests/unit/coordinator/cli/cli_parse.h"
#include "tests/unit/coordinator/cli/plainmail_checks.h"
#include "tests/unit/sqlite_file.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

Observation answer(const std::string& resolver, std::int64_t time_ms, const std::string& address, std::uint32_t ttl) {
  return test::plainmail_answer(resolver, "mx.plainmail.net.", time_ms, {{"mx.plainmail.net.", 1, ttl, address}});
}

Verdict verdict(const std::string& resolver, VerdictClass c, const std::string& observed) {
  return test::plainmail_verdict(resolver, c, {observed});
}

}  // namespace

TEST_CASE("report: gathered from a check file, one check selected, forgeries followed over both", "[cli][report]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  test::TempFile catalog("192.0.2.66 country=NL asn=64500\n192.0.2.53 country=DE\n");
  ReportOptions o;
  o.db = db.path();
  o.check = 2;
  o.resolvers_path = catalog.path();
  ReportData d = gather_report(o, 1796650000000);
  CHECK(d.selection == "check 2");
  REQUIRE(d.runs.size() == 1);
  CHECK(d.runs[0].id == 2);
  CHECK(d.runs[0].about == "plainmail.net. from vp1");
  CHECK(d.verdicts == 2);
  CHECK(d.resolvers == 2);
  CHECK(d.counts["poisoned"] == 1);
  REQUIRE(d.flagged.size() == 1);
  CHECK(d.flagged[0].verdict.resolver == "192.0.2.66");
  CHECK(d.flagged[0].verdict.evidence == std::vector<std::string>{"not-in-truth", "asn-mismatch"});
  CHECK(d.flagged[0].origin.country == "NL");
  CHECK(d.flagged[0].origin.asn == 64500);
  REQUIRE(d.flagged_by_country.size() == 1);
  CHECK(d.flagged_by_country[0].group == "NL");
  // The forged record, seen in both checks: from the first check's answer to the second's.
  REQUIRE(d.forged.size() == 1);
  CHECK(d.forged[0].first_ms == 1796637600010);
  CHECK(d.forged[0].last_ms == 1796641200510);
  CHECK(d.forged[0].runs == 2);
  // The trend has both checks.
  REQUIRE(d.trend.size() == 2);
  CHECK(d.trend[0].counts["poisoned"] == 1);
  CHECK(d.trend[1].counts["consistent"] == 1);
}

TEST_CASE("report: the page is written, whole, where --out says", "[cli][report]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  test::TempFile out("old");
  ReportOptions o;
  o.db = db.path();
  o.out = out.path();
  std::ostringstream err;
  REQUIRE(run_report(o, err) == 0);
  CHECK(err.str().empty());
  std::string page = test::read_whole_file(out.path());
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<td>192.0.2.66</td>") != std::string::npos);
  CHECK(page.find("every run") != std::string::npos);
}

TEST_CASE("report: an empty check file gives a page that says there is nothing", "[cli][report]") {
  test::SqliteFile db;
  { CheckStore store(db.path()); }
  test::TempFile out("");
  ReportOptions o;
  o.db = db.path();
  o.out = out.path();
  std::ostringstream err;
  REQUIRE(run_report(o, err) == 0);
  CHECK(test::read_whole_file(out.path()).find("No verdicts") != std::string::npos);
}

TEST_CASE("report: refused, exit 2, nothing written: the store as --out, a run not in it", "[cli][report]") {
  test::SqliteFile db;
  test::make_plainmail_checks(db.path());
  std::string before = test::read_whole_file(db.path());
  ReportOptions o;
  o.db = db.path();
  o.out = db.path();
  std::ostringstream err;
  CHECK(run_report(o, err) == 2);
  CHECK(err.str().find("is the database the report reads") != std::string::npos);
  CHECK(test::read_whole_file(db.path()) == before);

  test::TempFile out("old");
  o.out = out.path();
  o.check = 7;
  std::ostringstream err2;
  CHECK(run_report(o, err2) == 2);
  CHECK(err2.str().find("no check 7") != std::string::npos);
  CHECK(test::read_whole_file(out.path()) == "old");
  o.check.reset();
  o.db = out.path();  // a file that is no database
  std::ostringstream err4;
  CHECK(run_report(o, err4) == 2);
  CHECK(test::read_whole_file(out.path()) == "old");
  test::TempFile empty("");
  o.db = empty.path();
  o.out = empty.path() + ".html";
  std::ostringstream err5;
  CHECK(run_report(o, err5) == 2);
  CHECK(err5.str().find("nothing to report") != std::string::npos);
  o.db = db.path();
  o.out = out.path();
  o.sweep = 1;
  std::ostringstream err3;
  CHECK(run_report(o, err3) == 2);
  CHECK(err3.str().find("--sweep needs a coordinator's file") != std::string::npos);
}

TEST_CASE("report: a coordinator's file, one sweep of two, resolvers' ASes from the store", "[cli][report]") {
  test::SqliteFile db;
  std::uint64_t first = 0, second = 0;
  {
    SweepStore store(db.path());
    first = store.create_sweep("daily", "all", {}, 1796637600000);
    store.set_verdicts(first, {verdict("192.0.2.53", VerdictClass::consistent, "198.51.100.25"),
                               verdict("192.0.2.66", VerdictClass::consistent, "198.51.100.25")});
    second = store.create_sweep("daily", "all", {}, 1796724000000);
    store.set_verdicts(second, {verdict("192.0.2.53", VerdictClass::consistent, "198.51.100.25"),
                                verdict("192.0.2.66", VerdictClass::poisoned, "203.0.113.66")});
    store.set_resolver_asns(second, {{"192.0.2.66", 64500}});
  }
  ReportOptions o;
  o.db = db.path();
  o.sweep = second;
  ReportData d = gather_report(o, 1796730000000);
  CHECK(d.selection == "sweep " + std::to_string(second));
  REQUIRE(d.runs.size() == 1);
  CHECK(d.runs[0].kind == "sweep");
  CHECK(d.runs[0].about.find("daily") == 0);
  CHECK(d.verdicts == 2);
  REQUIRE(d.flagged.size() == 1);
  CHECK(d.flagged[0].run == "sweep " + std::to_string(second));
  CHECK(d.flagged[0].origin.asn == 64500);
  REQUIRE(d.flagged_by_asn.size() == 1);
  CHECK(d.flagged_by_asn[0].group == "AS64500");
  CHECK(d.flagged_by_country.empty());  // nothing says where it is
  // No stored answers: the forged record is dated by its sweep.
  REQUIRE(d.forged.size() == 1);
  CHECK(d.forged[0].first_ms == 1796724000000);
  // The trend: the clean sweep, then the poisoned one.
  REQUIRE(d.trend.size() == 2);
  CHECK(d.trend[0].run.id == static_cast<std::int64_t>(first));
  CHECK(d.trend[0].counts["poisoned"] == 0);
  CHECK(d.trend[1].counts["poisoned"] == 1);

  o.sweep.reset();
  o.check = 1;
  o.out = db.path() + ".html";
  std::ostringstream err;
  CHECK(run_report(o, err) == 2);
  CHECK(err.str().find("--check needs a check file") != std::string::npos);
}

TEST_CASE("report: the command line, --db and --out required, --sweep or --check", "[cli][report]") {
  using test::parse_mxsentry;
  CHECK(parse_mxsentry({"report", "--db", "x.sqlite", "--out", "r.html"}).accepted());
  CHECK(parse_mxsentry({"report", "--db", "x.sqlite", "--sweep", "3", "--out", "r.html", "--asn-db", "a.pfx2as",
                        "--resolvers", "c.txt"})
            .accepted());
  auto no_out = parse_mxsentry({"report", "--db", "x.sqlite"});
  CHECK(no_out.status == 2);
  CHECK_THAT(no_out.err, Catch::Contains("--out"));
  auto both = parse_mxsentry({"report", "--db", "x.sqlite", "--sweep", "1", "--check", "1", "--out", "r.html"});
  CHECK(both.status == 2);
  CHECK_THAT(both.err, Catch::Contains("excludes"));
  CHECK(parse_mxsentry({"report", "--db", "x.sqlite", "--sweep", "-1", "--out", "r.html"}).status == 2);
}

TEST_CASE("report: hostile names and records from a store stay text on the page", "[cli][report]") {
  test::SqliteFile db;
  const std::string qname = "\"><img src=x onerror=alert(1)>.example.";
  const std::string rdata = "<script>alert(2)</script>";
  {
    CheckStore store(db.path());
    Observation o = answer("192.0.2.66", 1796637600000, rdata, 60);
    o.qname = qname;
    o.qtype = 16;  // TXT: any text
    o.answers = {{qname, 16, 60, rdata}};
    Verdict v = verdict("192.0.2.66", VerdictClass::poisoned, rdata);
    v.qname = qname;
    v.qtype = 16;
    v.vantage = "<b>vp</b>";
    v.expected = {"\"v=spf1 -all\""};
    store.save({"<i>domain</i>"}, "<b>vp</b>", {o}, {}, {v});
  }
  test::TempFile out("");
  ReportOptions o;
  o.db = db.path();
  o.out = out.path();
  std::ostringstream err;
  REQUIRE(run_report(o, err) == 0);
  std::string page = test::read_whole_file(out.path());
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("<i>") == std::string::npos);
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(2)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.example.") != std::string::npos);
  CHECK(page.find("&lt;b&gt;vp&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("&lt;i&gt;domain&lt;/i&gt;") != std::string::npos);
}
