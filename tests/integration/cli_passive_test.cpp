// `mxsentry passive` as a user runs it, on COF files of four names: a forgery one sensor saw, a
// CDN, a geo-DNS split and a renumbering, with the small ASN database the unit tests use; then
// the same records imported into a check file, with and without an active truth there.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "coordinator/check/check_schema.h"
#include "integration/child_process.h"
#include "integration/json_lines.h"
#include "results/sqlite_db.h"

using namespace mxsentry::test;

namespace {

constexpr std::int64_t t0 = 1796637600;  // 2026-12-07T10:00:00Z, in seconds

std::string cof(const std::string& sensor, const std::string& name, const std::vector<std::string>& rdata,
                std::int64_t first, std::int64_t last) {
  nlohmann::json j{{"rrname", name}, {"rrtype", "A"}, {"rdata", rdata}, {"time_first", t0 + first},
                   {"time_last", t0 + last}, {"count", 3}, {"sensor_id", sensor}};
  return j.dump() + "\n";
}

// Poisoned: six sensors see the genuine address all day; s3 sees another for a while.
std::string poisoned_lines() {
  std::string out;
  for (int i = 1; i <= 6; ++i) out += cof("s" + std::to_string(i), "mx.poison.example", {"8.8.8.8"}, 0, 86400);
  out += cof("s3", "mx.poison.example", {"1.1.1.66"}, 36000, 40000);
  return out;
}

// A CDN: ten addresses of one AS, each sensor seeing a different one every hour.
std::string cdn_lines() {
  std::string out;
  for (int i = 0; i < 5; ++i)
    for (int h = 0; h < 4; ++h)
      out += cof("s" + std::to_string(i + 1), "www.cdn.example",
                 {"80.130." + std::to_string((i + 3 * h) % 10 + 1) + ".7"}, h * 3600, h * 3600 + 3599);
  return out;
}

// Geo-DNS: three European sensors see one address, three American ones another, all day.
std::string geo_lines() {
  std::string out;
  for (int i = 1; i <= 3; ++i) out += cof("eu" + std::to_string(i), "mx.geo.example", {"80.140.1.1"}, 0, 86400);
  for (int i = 1; i <= 3; ++i) out += cof("us" + std::to_string(i), "mx.geo.example", {"8.8.8.20"}, 0, 86400);
  return out;
}

// A renumbering: every sensor moves from the old address to the new within ten minutes.
std::string renumbered_lines() {
  std::string out;
  for (int i = 0; i < 5; ++i) {
    std::string sensor = "s" + std::to_string(i + 1);
    out += cof(sensor, "mx.moved.example", {"2.240.0.9"}, 0, 43200 + i * 120);
    out += cof(sensor, "mx.moved.example", {"2.241.0.9"}, 43200 + i * 120, 86400);
  }
  return out;
}

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string test_mmdb() {
  std::string path = std::string(MXSENTRY_TEST_MMDB_DIR) + "/asn.mmdb";
  INFO("built by tests/tools/make-test-mmdb");
  REQUIRE(std::ifstream(path).good());
  return path;
}

// rdata -> its JSON object.
std::map<std::string, nlohmann::json> by_rdata(const std::string& out) {
  std::map<std::string, nlohmann::json> m;
  for (auto& j : json_lines(out)) m[j["rdata"].get<std::string>()] = j;
  return m;
}

bool has_evidence(const nlohmann::json& j, const std::string& code) {
  for (const auto& e : j["evidence"])
    if (e == code) return true;
  return false;
}

}  // namespace

TEST_CASE("cli: passive gives each of four names the verdict it deserves", "[integration][cli][passive]") {
  TempDir dir;
  std::string poisoned = write(dir, "poisoned.cof", poisoned_lines());
  std::string rest = write(dir, "rest.cof", cdn_lines() + geo_lines() + renumbered_lines());
  auto run = run_command({MXSENTRY_BINARY, "passive", "--json", "--asn-db", test_mmdb(), poisoned, rest});
  INFO(run.err);
  CHECK(run.exit_code == 1);  // something flagged
  auto v = by_rdata(run.out);
  REQUIRE(v.size() == 2 + 10 + 2 + 2);

  const auto& forged = v["1.1.1.66"];
  CHECK(forged["rrname"] == "mx.poison.example");
  CHECK(forged["rrtype"] == "A");
  CHECK(forged["verdict"] == "poisoned");
  CHECK(forged["confidence"].get<double>() >= 0.8);
  CHECK(has_evidence(forged, "sensor-conflict"));
  CHECK(has_evidence(forged, "asn-mismatch"));
  CHECK(forged["sensors"] == nlohmann::json::array({"s3"}));
  CHECK(forged["time_first"] == t0 + 36000);
  CHECK(forged["time_last"] == t0 + 40000);
  CHECK(v["8.8.8.8"]["verdict"] == "consistent");
  CHECK(v["8.8.8.8"]["sensors"].size() == 6);

  for (int n = 1; n <= 10; ++n) {
    const auto& cdn = v["80.130." + std::to_string(n) + ".7"];
    INFO(cdn.dump());
    CHECK((cdn["verdict"] == "variation" || cdn["verdict"] == "consistent"));
    if (cdn["verdict"] == "variation") CHECK((has_evidence(cdn, "even-spread") && has_evidence(cdn, "same-asn")));
  }
  for (const char* geo : {"80.140.1.1", "8.8.8.20"}) {
    CHECK(v[geo]["verdict"] == "variation");
    CHECK(has_evidence(v[geo], "stable-split"));
  }
  for (const char* moved : {"2.240.0.9", "2.241.0.9"}) {
    CHECK(v[moved]["verdict"] == "consistent");
    CHECK(has_evidence(v[moved], "renumbered"));
  }
}

TEST_CASE("cli: passive exit status and table", "[integration][cli][passive]") {
  TempDir dir;
  std::string benign = write(dir, "benign.cof", cdn_lines() + geo_lines() + renumbered_lines());
  auto quiet = run_command({MXSENTRY_BINARY, "passive", "--asn-db", test_mmdb(), benign});
  INFO(quiet.err);
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.rfind("VERDICT", 0) == 0);
  CHECK(quiet.out.find("renumbered") != std::string::npos);
  CHECK(quiet.out.find("2026-12-07T10:00:00Z") != std::string::npos);

  // Standard input, a bad line named with its place and skipped; without an AS map the lone
  // forgery is still flagged (suspicious).
  std::string input = write(dir, "stdin.cof", poisoned_lines() + "{not json\n");
  auto piped = run_command({"/bin/sh", "-c", std::string(MXSENTRY_BINARY) + " passive --json - < " + input});
  CHECK(piped.exit_code == 1);
  CHECK(piped.err.find("-:8: not JSON") != std::string::npos);
  CHECK(by_rdata(piped.out)["1.1.1.66"]["verdict"] == "suspicious");

  CHECK(run_command({MXSENTRY_BINARY, "passive", dir.path() + "/missing.cof"}).exit_code == 2);
  CHECK(run_command({MXSENTRY_BINARY, "passive"}).exit_code == 2);
}

TEST_CASE("cli: passive on imported records uses the store's active truth", "[integration][cli][passive]") {
  TempDir dir;
  std::string file = write(dir, "poisoned.cof", poisoned_lines());
  std::string db = dir.path() + "/store.sqlite";
  REQUIRE(run_command({MXSENTRY_BINARY, "import", "--format", "cof", file, "--db", db}).exit_code == 0);

  auto from_store = run_command({MXSENTRY_BINARY, "passive", "--json", "--db", db, "--asn-db", test_mmdb()});
  INFO(from_store.err);
  CHECK(from_store.exit_code == 1);
  auto v = by_rdata(from_store.out);
  CHECK(v["1.1.1.66"]["verdict"] == "poisoned");
  CHECK(has_evidence(v["1.1.1.66"], "sensor-conflict"));

  // An active check found the minority address to be the authoritative one.
  {
    mxsentry::SqliteDb store(db, mxsentry::check_schema());
    store.exec("INSERT INTO checks VALUES (1, 1796637600000, 'local', 'poison.example.');"
               "INSERT INTO truths VALUES (1, 'mx.poison.example.', 'A', "
               "'{\"qname\":\"mx.poison.example.\",\"qtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":"
               "[{\"name\":\"mx.poison.example.\",\"type\":\"A\",\"ttl\":300,\"rdata\":\"1.1.1.66\"}]}');");
  }
  auto with_truth = run_command({MXSENTRY_BINARY, "passive", "--json", "--db", db, "--asn-db", test_mmdb()});
  INFO(with_truth.err);
  auto t = by_rdata(with_truth.out);
  CHECK(t["1.1.1.66"]["verdict"] == "consistent");
  CHECK(has_evidence(t["1.1.1.66"], "match"));
  CHECK(has_evidence(t["8.8.8.8"], "not-in-truth"));
  CHECK(t["8.8.8.8"]["verdict"] == "suspicious");
}
