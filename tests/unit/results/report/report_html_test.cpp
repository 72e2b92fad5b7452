// The report page: hostile strings from the data escaped everywhere, nothing loaded from
// elsewhere, an empty store's page, and a sweep with flagged results drawn in tables and charts.
#include <catch2/catch.hpp>

#include <string>

#include "results/report/html_text.h"
#include "results/report/report_html.h"

using namespace mxsentry;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

ReportData flagged_sweep() {
  ReportData d;
  d.source = "coordinator.sqlite";
  d.selection = "sweep 2";
  d.generated_ms = 1796637600000;
  ReportRun run{"sweep", 2, 1796637000000, "daily (complete)"};
  d.runs = {run};
  d.resolvers = 3;
  d.targets = 1;
  d.verdicts = 3;
  d.counts = {{"consistent", 2}, {"poisoned", 1}};
  ReportVerdict v;
  v.vantage = "vp1";
  v.resolver = "192.0.2.66";
  v.qname = "mx.plainmail.net.";
  v.qtype = "A";
  v.verdict = "poisoned";
  v.confidence = 0.93;
  v.evidence = {"not-in-truth", "asn-mismatch"};
  v.observed = {"203.0.113.66"};
  v.expected = {"198.51.100.25"};
  v.ttl = 86400;
  v.expected_ttl = 300;
  v.attack = "cache";
  d.flagged = {{"sweep 2", v, {"NL", 64500}}};
  d.flagged_resolvers = 1;
  d.flagged_by_country = {{"NL", 1}};
  d.flagged_by_asn = {{"AS64500", 1}};
  d.per_target = {{"mx.plainmail.net.", "A", {{"consistent", 2}, {"poisoned", 1}}}};
  d.hosts = {{"mx.plainmail.net.", "A", {{"198.51.100.25", 2, true, "AS64501"}, {"203.0.113.66", 1, false, "AS64666"}}, 1}};
  d.forged = {{"192.0.2.66", "mx.plainmail.net.", "A", "203.0.113.66", 1796630000000, 1796637000000, 3, 2}};
  d.trend = {{{"sweep", 1, 1796630000000, "daily (complete)"}, {{"poisoned", 1}, {"consistent", 2}}},
             {run, {{"poisoned", 1}, {"consistent", 2}}}};
  return d;
}

}  // namespace

TEST_CASE("report html: escaping of the five characters and control bytes", "[results][report]") {
  CHECK(escape_html("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(escape_html(std::string("a\0b\x01" "c\td\n", 8)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\td\n");
  CHECK(escape_html("mx.example.") == "mx.example.");
}

TEST_CASE("report html: hostile names, evidence and rdata never become markup", "[results][report]") {
  ReportData d = flagged_sweep();
  const std::string script = "<script>alert(1)</script>";
  const std::string img = "\"><img src=x onerror=alert(2)>";
  d.source = script;
  d.selection = img;
  d.runs[0].about = script;
  ReportVerdict& v = d.flagged[0].verdict;
  v.resolver = script;
  v.vantage = img;
  v.qname = "</td></tr></table>" + script;
  v.evidence = {img};
  v.observed = {"<svg onload=alert(3)>"};
  v.verdict = "poisoned\" onclick=\"alert(4)";  // a class that the page does not define
  d.flagged[0].origin.country = script;
  d.flagged_by_country = {{script, 1}};
  d.flagged_by_asn = {{img, 1}};
  d.per_target[0].qname = script;
  d.hosts[0].qname = img;
  d.hosts[0].answers[1].rdata = "<svg onload=alert(5)>";
  d.hosts[0].answers[1].asn = script;
  d.forged[0].resolver = script;
  d.forged[0].rdata = img;
  d.trend[0].run.about = img;

  std::string page = render_report_html(d);
  CHECK(occurrences(page, "<script") == 1);  // the page's own script only
  CHECK(occurrences(page, "<img") == 0);
  CHECK(occurrences(page, "<svg onload") == 0);
  CHECK(occurrences(page, "onclick=\"") == 0);  // as text it is harmless: its quotes are escaped
  CHECK(occurrences(page, "</table>" + std::string("&lt;")) == 0);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  // Every table the page opens is closed: a hostile cell did not close one early.
  CHECK(occurrences(page, "<table") == occurrences(page, "</table>"));
}

TEST_CASE("report html: self-contained, nothing fetched from elsewhere", "[results][report]") {
  std::string page = render_report_html(flagged_sweep());
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("Content-Security-Policy") != std::string::npos);
  CHECK(page.find("default-src 'none'") != std::string::npos);
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  // The one URL is the SVG namespace, a name and not a fetch.
  CHECK(occurrences(page, "http:") + occurrences(page, "https:") ==
        occurrences(page, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST_CASE("report html: an empty store's page says so and draws no chart", "[results][report]") {
  ReportData d;
  d.source = "empty.sqlite";
  d.selection = "every run";
  std::string page = render_report_html(d);
  CHECK(page.find("No verdicts") != std::string::npos);
  CHECK(page.find("Nothing was flagged") != std::string::npos);
  CHECK(page.find("<svg") == std::string::npos);
  CHECK(page.find("data-script") != std::string::npos);  // the script is there all the same
  CHECK(page.size() > 500);
  CHECK(page.substr(page.size() - 8) == "</html>\n");
}

TEST_CASE("report html: a sweep with flagged results in tables and charts", "[results][report]") {
  std::string page = render_report_html(flagged_sweep());
  // The flagged table's row: resolver, country, AS, evidence, observed, expected, TTLs, attack.
  CHECK(page.find("<td>192.0.2.66</td><td>NL</td><td>AS64500</td><td>vp1</td><td>mx.plainmail.net.</td><td>A</td>"
                  "<td>not-in-truth asn-mismatch</td><td>203.0.113.66</td><td>198.51.100.25</td><td>86400</td>"
                  "<td>300</td><td>cache</td>") != std::string::npos);
  CHECK(page.find("<td class=\"v-poisoned\">poisoned</td><td>0.93</td>") != std::string::npos);
  for (const char* id : {"flagged-table", "targets-table", "answers-table", "persistence-table", "trend-table"})
    CHECK(page.find(std::string("<table class=\"sortable\" id=\"") + id + "\">") != std::string::npos);
  // Charts: verdict classes, per target, by country and AS, answers per host, persistence, trend.
  CHECK(occurrences(page, "<svg") == 7);
  CHECK(page.find("class=\"forged\"") != std::string::npos);
  CHECK(page.find("203.0.113.66 (AS64666)") != std::string::npos);
  // The forged record persisted from the first run to the second: 7000 s.
  CHECK(page.find("<td data-value=\"7000000\">116m 40s</td>") != std::string::npos);
  CHECK(page.find("<td>2026-12-07T07:53:20Z</td><td>2026-12-07T09:50:00Z</td>") != std::string::npos);
}

TEST_CASE("report html: a run without flags has no flagged table and no origin charts", "[results][report]") {
  ReportData d = flagged_sweep();
  d.flagged.clear();
  d.flagged_by_country.clear();
  d.flagged_by_asn.clear();
  d.forged.clear();
  std::string page = render_report_html(d);
  CHECK(page.find("Nothing was flagged") != std::string::npos);
  CHECK(page.find("id=\"flagged-table\"") == std::string::npos);
  CHECK(page.find("id=\"origins\"") == std::string::npos);
  CHECK(page.find("id=\"persistence\"") == std::string::npos);
}

TEST_CASE("report html: the summary names ten runs and counts the rest", "[results][report]") {
  ReportData d = flagged_sweep();
  d.runs.clear();
  for (int i = 1; i <= 12; ++i) d.runs.push_back({"sweep", i, 1796637000000 + i, "nightly"});
  std::string page = render_report_html(d);
  CHECK(page.find("<tr><th>sweep 10</th>") != std::string::npos);
  CHECK(page.find("<tr><th>sweep 11</th>") == std::string::npos);
  CHECK(page.find("<tr><th>more runs</th><td>2 (the trend lists every run)</td></tr>") != std::string::npos);
}
