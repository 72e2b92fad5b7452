// The executables as a user runs them: an unknown option or a value outside the shared limits
// exits 2 with a message naming it; `results` writes a table, or JSON lines with --json.
#include <catch2/catch.hpp>

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
