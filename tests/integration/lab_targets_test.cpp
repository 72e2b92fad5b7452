// `mxsentry targets expand` against the lab: the mail domains' MX and NS hosts, from the
// authoritative servers, written as a names file that `mxsentry probe` reads back.
#include <catch2/catch.hpp>

#include <sstream>

#include "integration/child_process.h"
#include "integration/lab_env.h"

using namespace mxsentry::test;

TEST_CASE("lab targets: expand turns the lab's mail domains into a ranked names file", "[lab][targets]") {
  auto env = lab_env();
  auto r = run_command({MXSENTRY_BINARY, "targets", "expand", "--domains", env["LAB_DOMAINS_FILE"], "--root-hints",
                        env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_ROOT_KEY"]},
                       120000);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string line;
  std::size_t hosts = 0, questions = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("# in-degree ", 0) == 0) ++hosts;
    if (!line.empty() && line[0] != '#') ++questions;
  }
  CHECK(hosts == 13);  // 2 + 3 (securemail) + 1 + 2 (plainmail) + 1 + 2 (geomail) + 1 + 1 (brokenmail)
  CHECK(questions == 26);
  CHECK(r.out.find("# in-degree 1 (mx): securemail.com.\nmx1.securemail.com. A\nmx1.securemail.com. AAAA\n") !=
        std::string::npos);
  CHECK(r.out.find("ns3.securemail.com. A\n") != std::string::npos);  // an NS host nobody answers on still counts

  // The output is a names file: probe reads it back.
  TempDir dir;
  std::string names = dir.write("names.txt", r.out);
  auto probe = run_command({MXSENTRY_BINARY, "probe", "--resolvers", env["LAB_RESOLVERS_FILE"], "--names", names,
                            "--allow-private", "--timeout-ms", "300", "--retries", "0", "--per-resolver-qps", "100"},
                           120000);
  INFO(probe.err);
  CHECK(probe.exit_code == 0);
  CHECK(std::count(probe.out.begin(), probe.out.end(), '\n') == 26 * 9);
}

TEST_CASE("lab targets: a domain without answers is named, and the rest still expanded", "[lab][targets]") {
  auto env = lab_env();
  TempDir dir;
  std::string domains = dir.write("domains.txt", "geomail.com\nlamemail.net\n");
  auto r = run_command({MXSENTRY_BINARY, "targets", "expand", "--domains", domains, "--root-hints",
                        env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_ROOT_KEY"], "--json"},
                       120000);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("lamemail.net.") != std::string::npos);
  CHECK(r.out.find("{\"host\":\"mx.geomail.com.\",\"in_degree\":1,\"mx\":true,\"ns\":false,\"domains\":[\"geomail.com.\"]}") !=
        std::string::npos);
  std::string broken = dir.write("broken.txt", "geomail.com\nnot a domain\n");
  r = run_command({MXSENTRY_BINARY, "targets", "expand", "--domains", broken});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(broken + ":2:") != std::string::npos);
}
