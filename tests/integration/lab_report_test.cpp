// `mxsentry report` on the store of a real check of the lab, opened in headless Chromium: the
// page renders with the poisoned resolver's rows, its script runs without an error, and a
// screenshot lands in the test output folder (tests/output/lab-report under the build).
// Chromium runs in a network namespace of its own with only a loopback device (`unshare
// --net`): the page must render with no network at all, and no packet can leave the machine.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "integration/child_process.h"
#include "integration/lab_check_run.h"
#include "integration/lab_env.h"
#include "integration/sweep_deployment.h"

using namespace mxsentry::test;

namespace {

std::string output_dir() {
  std::string dir = std::string(MXSENTRY_TEST_OUTPUT_DIR) + "/lab-report";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string chromium_path() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(path)) return path;
  return "";
}

// Chromium, headless, in an empty network namespace, with a throwaway profile of its own (a
// profile still held by an earlier run's exiting browser would hand the page to that one).
CommandResult chromium(const std::vector<std::string>& args) {
  TempDir profile;
  std::vector<std::string> argv{"/usr/bin/unshare", "--net", "--", chromium_path(), "--headless", "--disable-gpu",
                                "--no-sandbox", "--no-first-run", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.path(),
                                "--enable-logging=stderr", "--v=0"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 90000);
}

// Lines of Chromium's log that report the console of the page at `url` (the page logs nothing:
// any line is an error, an uncaught exception or a blocked load). Chromium's own pages log too
// (chrome://... "Slow network is detected" on a busy machine): those are not the page's.
std::string console_errors(const std::string& log, const std::string& url) {
  std::string out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line))
    if (line.find(":CONSOLE") != std::string::npos && line.find("source: " + url) != std::string::npos)
      out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("lab report: the check's page renders in Chromium with its rows and no console error", "[lab][report]") {
  REQUIRE_FALSE(chromium_path().empty());  // scripts/install-deps installs Debian's chromium
  const CheckRun& run = lab_check();
  REQUIRE(run.result.exit_code == 1);
  auto env = lab_env();
  std::string dir = output_dir();
  std::string page = dir + "/report.html", screenshot = dir + "/report.png";
  std::remove(screenshot.c_str());
  // Where the lab's resolvers "are": a catalog with countries, so the page has the by-country chart.
  TempDir work;
  std::string catalog = work.write("catalog.txt", env["LAB_POISONED"] + " country=NL asn=64666\n" +
                                                     env["LAB_VALIDATING_ROGUE"] + " country=DE\n" +
                                                     env["LAB_HONEST"] + " country=FR\n");
  auto report = run_command({MXSENTRY_BINARY, "report", "--db", run.db, "--check", "1", "--out", page, "--resolvers",
                             catalog, "--asn-db", env["LAB_ASN_DB"]});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);

  auto dom = chromium({"--dump-dom", "file://" + page});
  INFO(dom.err.substr(0, 4000));
  REQUIRE(dom.exit_code == 0);
  // The page's script ran to its end (it marks <body> last).
  CHECK(dom.out.find("data-script=\"ok\"") != std::string::npos);
  CHECK(console_errors(dom.err, "file://" + page) == "");
  // The flagged table has the poisoned resolver's forged hosts, with their evidence and country.
  std::string poisoned_row = "<td class=\"v-poisoned\">poisoned</td>";
  CHECK(dom.out.find(poisoned_row) != std::string::npos);
  CHECK(dom.out.find("<td>" + env["LAB_POISONED"] + "</td><td>NL</td><td>AS64666</td>") != std::string::npos);
  CHECK(dom.out.find("<td>mx.plainmail.net.</td><td>A</td><td>not-in-truth") != std::string::npos);
  CHECK(dom.out.find("5 mx-relay.plainmail.net.") != std::string::npos);
  // The forged NS host address in the answers table, not in the truth.
  CHECK(dom.out.find("<td class=\"forged\">127.66.0.53</td>") != std::string::npos);
  // Charts are drawn: classes, per target, by country and AS, per host, persistence, trend.
  CHECK(dom.out.find("<svg") != std::string::npos);
  CHECK(dom.out.find("id=\"persistence-table\"") != std::string::npos);

  // The tables sort and filter: a copy of the page with a script after the page's own that
  // clicks the confidence heading twice and types into the filter box, then writes what it saw.
  std::string probe = dir + "/report-interaction.html";
  std::string html = read_file(page);
  auto body_end = html.rfind("</body>");
  REQUIRE(body_end != std::string::npos);
  html.insert(body_end, R"(<script>
(function () {
  var t = document.getElementById("flagged-table"), rows = t.tBodies[0].rows;
  function confidence(i) { return parseFloat(rows[i].cells[2].textContent); }
  var th = t.querySelectorAll("th")[2];
  th.click();
  var up = confidence(0) <= confidence(rows.length - 1);
  th.click();
  var down = confidence(0) >= confidence(rows.length - 1) && confidence(0) > confidence(rows.length - 1);
  var box = document.querySelector("input.filter[data-for=flagged-table]");
  box.value = "NS1.PLAINMAIL";
  box.dispatchEvent(new Event("input"));
  var shown = Array.prototype.filter.call(rows, function (r) { return !r.hidden; }).length;
  document.body.setAttribute("data-test", "up=" + up + " down=" + down + " shown=" + shown + " of " + rows.length);
})();
</script>
)");
  std::ofstream(probe) << html;
  auto interaction = chromium({"--dump-dom", "file://" + probe});
  INFO(interaction.err.substr(0, 4000));
  CHECK(console_errors(interaction.err, "file://" + probe) == "");
  // The poisoned and the validating-rogue resolver both gave the forged ns1.plainmail.net. A.
  CHECK(interaction.out.find("data-test=\"up=true down=true shown=2 of 8\"") != std::string::npos);

  auto shot = chromium({"--screenshot=" + screenshot, "--window-size=1280,4000", "--hide-scrollbars",
                                 "file://" + page});
  INFO(shot.err.substr(0, 4000));
  CHECK(shot.exit_code == 0);
  CHECK(console_errors(shot.err, "file://" + page) == "");
  std::ifstream png(screenshot, std::ios::binary);
  REQUIRE(png.good());
  char magic[8] = {};
  png.read(magic, 8);
  CHECK(std::string(magic, 8) == "\x89PNG\r\n\x1a\n");
  CHECK(std::filesystem::file_size(screenshot) > 20000);  // a page with tables and charts, not a blank one
}

TEST_CASE("lab report: --out naming the check's own file is refused and the store kept", "[lab][report]") {
  const CheckRun& run = lab_check();
  auto size = std::filesystem::file_size(run.db);
  auto r = run_command({MXSENTRY_BINARY, "report", "--db", run.db, "--out", run.db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is the database the report reads") != std::string::npos);
  CHECK(std::filesystem::file_size(run.db) == size);
  r = run_command({MXSENTRY_BINARY, "report", "--db", run.db, "--out", run.db + "-wal"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("lab report: two sweeps of a coordinator's file, the forged record followed over both", "[lab][report]") {
  Deployment d(25740);
  d.start_coordinator();
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "the prober is connected");
  auto first = d.start_sweep();
  d.wait_complete(first);
  auto second = d.start_sweep();
  d.wait_complete(second);
  std::string page = d.dir().path() + "/report.html";
  auto r = run_command({MXSENTRY_BINARY, "report", "--db", d.db(), "--sweep", std::to_string(second), "--out", page});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string html = read_file(page);
  std::string poisoned = lab_env()["LAB_POISONED"];
  CHECK(html.find("<td>sweep " + std::to_string(second) + "</td><td class=\"v-poisoned\">poisoned</td>") !=
        std::string::npos);
  // Both sweeps in the trend table.
  for (auto id : {first, second})
    CHECK(html.find("<tr><td data-value=\"" + std::to_string(id) + "\">sweep " + std::to_string(id) + "</td>") !=
          std::string::npos);
  // The poisoned resolver's forged mx.plainmail.net. address: seen in both sweeps (runs = 2),
  // and re-asked, so seen more than twice.
  auto table = html.find("id=\"persistence-table\"");
  REQUIRE(table != std::string::npos);
  std::string rows = html.substr(table, html.find("</table>", table) - table);
  std::regex row("<tr><td>" + std::regex_replace(poisoned, std::regex("\\."), "\\.") +
                 "</td><td>mx\\.plainmail\\.net\\.</td><td>A</td><td>127\\.66\\.0\\.10</td>"
                 "<td>[^<]*</td><td>[^<]*</td><td data-value=\"([0-9]+)\">[^<]*</td><td>([0-9]+)</td><td>2</td></tr>");
  std::smatch m;
  INFO(rows.substr(0, 3000));
  REQUIRE(std::regex_search(rows, m, row));
  CHECK(std::stoll(m[1].str()) > 0);   // last seen after first seen
  CHECK(std::stoi(m[2].str()) >= 3);   // two sweeps and a re-ask
}
