// The executables as a user runs them: an unknown option or a value outside the shared limits
// exits 2 with a message naming it; `results` writes a table, or JSON lines with --json.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "coordinator/sweep/sweep_store.h"
#include "integration/child_process.h"
#include "integration/json_lines.h"

using namespace mxsentry::test;

TEST_CASE("cli: sweep start with an unknown option says it is unknown", "[integration][cli]") {
  auto r = run_command({MXSENTRY_BINARY, "sweep", "start", "--targets", "t.txt", "--resolvers", "r.txt", "--bogus", "x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown option --bogus") != std::string::npos);
  CHECK(r.err.find("excludes") == std::string::npos);
}

TEST_CASE("cli: nan is no rate, for mxsentry and for the prober", "[integration][cli]") {
  auto probe = run_command({MXSENTRY_BINARY, "probe", "--resolvers", "r.txt", "--names", "n.txt", "--per-resolver-qps", "nan"});
  CHECK(probe.exit_code == 2);
  CHECK(probe.err.find("--per-resolver-qps") != std::string::npos);
  auto prober = run_command({MXSENTRY_PROBER_BINARY, "--coordinator", "tcp://127.0.0.1:9", "--id", "vp", "--insecure",
                             "--max-per-resolver-qps", "nan"});
  CHECK(prober.exit_code == 2);
  CHECK(prober.err.find("--max-per-resolver-qps") != std::string::npos);
  auto unknown = run_command({MXSENTRY_PROBER_BINARY, "--id", "vp", "--bogus"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown option --bogus") != std::string::npos);
}

TEST_CASE("cli: results writes a table, and JSON lines with --json", "[integration][cli]") {
  TempDir dir;
  std::string db = dir.path() + "/c.sqlite";
  std::uint64_t id = 0;
  {
    mxsentry::SweepStore store(db);
    id = store.create_sweep("s", "all", {}, 0);
    mxsentry::Verdict v;
    v.vantage = "vp1";
    v.resolver = *mxsentry::Endpoint::parse("192.0.2.20");
    v.qname = "mx.example.com.";
    v.qtype = 1;
    v.verdict = mxsentry::VerdictClass::poisoned;
    store.set_verdicts(id, {v});
  }
  auto json = run_command({MXSENTRY_BINARY, "results", "--db", db, "--sweep", std::to_string(id), "--json"});
  REQUIRE(json.exit_code == 0);
  auto lines = json_lines(json.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["verdict"] == "poisoned");
  CHECK(lines[0]["resolver"] == "192.0.2.20");
  auto table = run_command({MXSENTRY_BINARY, "results", "--db", db, "--sweep", std::to_string(id)});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.rfind("sweep " + std::to_string(id) + ": 1 verdicts, 1 poisoned\n", 0) == 0);
  CHECK(table.out.find("192.0.2.20") != std::string::npos);
}

TEST_CASE("cli: check --coordinator with no coordinator there says so within seconds", "[integration][cli]") {
  auto started = std::chrono::steady_clock::now();
  // Port 9 (discard) on loopback: nothing answers the control request.
  auto r = run_command({MXSENTRY_BINARY, "check", "example.com", "--coordinator", "tcp://127.0.0.1:9"}, 20000);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("the coordinator did not answer within 5000 ms") != std::string::npos);
  CHECK(seconds < 10);
}

// Names no query can carry printed nothing and exited 0.
TEST_CASE("cli: truth refuses a name with an empty label or a label over 63 octets", "[integration][cli]") {
  auto empty_label = run_command({MXSENTRY_BINARY, "truth", "a..b", "--root-hints", "/nonexistent"});
  CHECK(empty_label.exit_code == 2);
  CHECK(empty_label.err == "mxsentry truth: bad name 'a..b': empty label\n");
  std::string long_label = std::string(64, 'x') + ".example";
  auto too_long = run_command({MXSENTRY_BINARY, "truth", long_label, "MX"});
  CHECK(too_long.exit_code == 2);
  CHECK(too_long.err == "mxsentry truth: bad name '" + long_label + "': label longer than 63 octets\n");
  CHECK(too_long.out.empty());
}

// nan in the thresholds file weighed nothing: every forged record became a variation.
TEST_CASE("cli: check refuses nan in the thresholds file, and a directory as one", "[integration][cli]") {
  TempDir dir;
  auto resolvers = dir.write("r.txt", "127.0.0.1:9\n");
  auto nan = dir.write("t.toml", "[weights]\nnot-in-truth = nan\n");
  auto r = run_command({MXSENTRY_BINARY, "check", "example.com", "--resolvers", resolvers, "--allow-private",
                        "--thresholds", nan});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "mxsentry check: " + nan + ": weights.not-in-truth: out of range [-1, 1]\n");
  auto directory = run_command({MXSENTRY_BINARY, "check", "example.com", "--resolvers", resolvers, "--allow-private",
                                "--thresholds", dir.path()});
  CHECK(directory.exit_code == 2);
  CHECK(directory.err == "mxsentry check: " + dir.path() + ": cannot read the file (it is a directory)\n");
}

TEST_CASE("cli: keygen of an empty name or DIR/ writes nothing", "[integration][cli]") {
  TempDir dir;
  auto in_dir = run_command({MXSENTRY_BINARY, "keygen", dir.path() + "/"});
  CHECK(in_dir.exit_code == 2);
  CHECK(in_dir.err.find("no name") != std::string::npos);
  CHECK(run_command({MXSENTRY_BINARY, "keygen", ""}).exit_code == 2);
  auto ok = run_command({MXSENTRY_BINARY, "keygen", dir.path() + "/vp1"});
  CHECK(ok.exit_code == 0);
}

// The prober logged "connected" at once, then "coordinator silent" forever, whatever was wrong.
TEST_CASE("cli: a prober nobody answers does not say it is connected, and says what it can be", "[integration][cli]") {
  TempDir dir;
  ChildProcess prober({MXSENTRY_PROBER_BINARY, "--coordinator", "tcp://127.0.0.1:9", "--id", "vp", "--insecure"},
                      dir.path() + "/err");
  std::this_thread::sleep_for(std::chrono::milliseconds(6500));  // 5 heartbeats of 1 s, then the verdict
  kill(prober.pid(), SIGTERM);
  CHECK(prober.wait_exit(5000) == 0);
  std::ifstream in(dir.path() + "/err");
  std::stringstream err;
  err << in.rdbuf();
  INFO(err.str());
  CHECK(err.str().find("connecting to tcp://127.0.0.1:9") != std::string::npos);
  CHECK(err.str().find("connected to") == std::string::npos);
  CHECK(err.str().find("no answer from tcp://127.0.0.1:9 (nothing listening there, a wrong --server-key") !=
        std::string::npos);
}
