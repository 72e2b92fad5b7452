// `mxsentry check` end to end against the lab: real authoritative servers, real resolvers, one
// rogue server behind two of them. Every verdict class the lab can produce is checked, and the
// precision and recall of the flags are measured against tests/lab/data/expected-flags.txt.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "integration/child_process.h"
#include "integration/lab_check_run.h"
#include "integration/lab_env.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

std::string address_of(const std::string& role) { return lab_env()["LAB_" + role]; }

const json& verdict(const std::string& role, const std::string& qname, const std::string& qtype) {
  std::string resolver = address_of(role);
  for (const auto& v : lab_check().verdicts)
    if (v["resolver"] == resolver && v["qname"] == qname && v["qtype"] == qtype) return v;
  FAIL("no verdict for " << role << " " << qname << " " << qtype);
  throw std::logic_error("unreachable");
}

std::vector<json> verdicts_of(const std::string& role) {
  std::vector<json> out;
  for (const auto& v : lab_check().verdicts)
    if (v["resolver"] == address_of(role)) out.push_back(v);
  return out;
}

bool has_evidence(const json& v, const std::string& code) {
  const auto& e = v["evidence"];
  return std::find(e.begin(), e.end(), code) != e.end();
}

bool flagged(const json& v) { return v["verdict"] == "poisoned" || v["verdict"] == "suspicious"; }

}  // namespace

TEST_CASE("lab check: runs, exits 1 for the flags, one verdict per resolver and question", "[lab][check]") {
  const CheckRun& run = lab_check();
  INFO(run.result.err);
  CHECK(run.result.exit_code == 1);
  // 9 resolvers; 4 domains x (MX, NS) + 13 MX/NS hosts x (A, AAAA) = 34 questions.
  CHECK(run.verdicts.size() == 9 * 34);
  std::set<std::string> keys;
  for (const auto& v : run.verdicts) {
    for (const char* key : {"vantage", "resolver", "qname", "qtype", "verdict", "confidence", "evidence", "observed",
                            "expected", "ttl", "expected_ttl", "dnssec"})
      CHECK(v.contains(key));
    keys.insert(v["resolver"].get<std::string>() + " " + v["qname"].get<std::string>() + " " +
                v["qtype"].get<std::string>());
  }
  CHECK(keys.size() == run.verdicts.size());
}

TEST_CASE("lab check: the poisoned resolver's forged hosts are poisoned with the evidence", "[lab][check]") {
  for (const std::string qname : {"mx1.securemail.com.", "mx.plainmail.net.", "ns1.plainmail.net."}) {
    const json& v = verdict("POISONED", qname, "A");
    INFO(v.dump());
    CHECK(v["verdict"] == "poisoned");
    CHECK(has_evidence(v, "not-in-truth"));
    CHECK(has_evidence(v, "asn-mismatch"));
    CHECK(has_evidence(v, "ttl-above-authoritative"));
    CHECK(v["ttl"].get<int>() > v["expected_ttl"].get<int>());
    CHECK(v["attack"] == "cache");  // asked again: the TTL counted down
    CHECK(has_evidence(v, "cached-forgery"));
  }
  // The secure zone's forgery carries no valid signature.
  CHECK(has_evidence(verdict("POISONED", "mx1.securemail.com.", "A"), "dnssec-bogus"));
  // Only the forged NS host's address is on the lab's IOC list.
  CHECK(has_evidence(verdict("POISONED", "ns1.plainmail.net.", "A"), "ioc-listed"));
  CHECK_FALSE(has_evidence(verdict("POISONED", "mx.plainmail.net.", "A"), "ioc-listed"));
}

TEST_CASE("lab check: a poisoned MX record and a poisoned NS host are found", "[lab][check]") {
  const json& mx = verdict("POISONED", "plainmail.net.", "MX");
  INFO(mx.dump());
  CHECK(mx["verdict"] == "poisoned");
  CHECK(has_evidence(mx, "record-mismatch"));
  auto observed = mx["observed"].get<std::vector<std::string>>();
  CHECK(std::find(observed.begin(), observed.end(), "5 mx-relay.plainmail.net.") != observed.end());
  const json& ns_host = verdict("POISONED", "ns1.plainmail.net.", "A");
  CHECK(ns_host["verdict"] == "poisoned");
  CHECK(ns_host["observed"] == json::array({"127.66.0.53"}));
}

TEST_CASE("lab check: honest and validating resolvers are consistent", "[lab][check]") {
  for (const auto& v : verdicts_of("HONEST")) {
    INFO(v.dump());
    CHECK(v["verdict"] == "consistent");
  }
  for (const auto& v : verdicts_of("VALIDATING")) {
    INFO(v.dump());
    // brokenmail.com's signatures have expired: a validator refusing it is right.
    if (v["qname"].get<std::string>().find("brokenmail.com.") != std::string::npos)
      CHECK(v["verdict"] == "failed");
    else
      CHECK(v["verdict"] == "consistent");
  }
  CHECK(has_evidence(verdict("VALIDATING", "mx1.securemail.com.", "A"), "dnssec-valid"));
}

TEST_CASE("lab check: the validating resolver facing the rogue fails with servfail-secure", "[lab][check]") {
  for (const std::string qname : {"mx1.securemail.com.", "mx2.securemail.com.", "ns1.securemail.com."}) {
    const json& v = verdict("VALIDATING_ROGUE", qname, "A");
    INFO(v.dump());
    CHECK(v["verdict"] == "failed");
    CHECK(v["rcode"] == "SERVFAIL");
    CHECK(has_evidence(v, "servfail-secure"));
  }
  // plainmail.net is unsigned: the same resolver accepts its forgery, and is poisoned there.
  CHECK(verdict("VALIDATING_ROGUE", "mx.plainmail.net.", "A")["verdict"] == "poisoned");
}

TEST_CASE("lab check: the geo-split provider is never flagged", "[lab][check]") {
  for (const auto& v : lab_check().verdicts) {
    if (v["qname"].get<std::string>().find("geomail.com.") == std::string::npos) continue;
    INFO(v.dump());
    CHECK_FALSE(flagged(v));
  }
  for (const std::string role : {"HONEST", "VALIDATING", "PINNED", "TTL_RAISER"}) {
    const json& v = verdict(role, "mx.geomail.com.", "A");
    INFO(v.dump());
    CHECK((v["verdict"] == "consistent" || v["verdict"] == "variation"));
  }
  // The truth holds both servers' answers; the pinned resolver sees only ns2's.
  CHECK(verdict("PINNED", "mx.geomail.com.", "A")["observed"] == json::array({"127.53.202.2"}));
  CHECK(verdict("PINNED", "mx.geomail.com.", "A")["expected"].size() == 2);
}

TEST_CASE("lab check: a resolver that raises TTLs is not flagged", "[lab][check]") {
  bool raised = false;
  for (const auto& v : verdicts_of("TTL_RAISER")) {
    INFO(v.dump());
    CHECK_FALSE(flagged(v));
    raised = raised || has_evidence(v, "ttl-above-authoritative");
  }
  CHECK(raised);  // the raised TTLs were seen, and judged harmless
}

TEST_CASE("lab check: resolvers where nothing answers are unreachable", "[lab][check]") {
  for (const std::string role : {"UNREACHABLE", "UNREACHABLE_2"}) {
    auto all = verdicts_of(role);
    CHECK(all.size() == 34);
    for (const auto& v : all) CHECK(v["verdict"] == "unreachable");
  }
  for (const auto& v : verdicts_of("REFUSING")) CHECK(v["verdict"] == "failed");
}

TEST_CASE("lab check: precision and recall over the lab", "[lab][check]") {
  std::set<std::string> expected;
  std::ifstream in(lab_env()["LAB_EXPECTED_FLAGS"]);
  REQUIRE(in.good());
  std::string role, qname, qtype;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    fields >> role >> qname >> qtype;
    std::string key = role;
    std::transform(key.begin(), key.end(), key.begin(), [](char c) { return c == '-' ? '_' : std::toupper(c); });
    expected.insert(address_of(key) + " " + qname + " " + qtype);
  }
  REQUIRE(expected.size() == 8);
  std::size_t true_positives = 0, false_positives = 0;
  for (const auto& v : lab_check().verdicts) {
    if (!flagged(v)) continue;
    std::string key = v["resolver"].get<std::string>() + " " + v["qname"].get<std::string>() + " " +
                      v["qtype"].get<std::string>();
    INFO(v.dump());
    if (expected.count(key))
      ++true_positives;
    else
      ++false_positives;
  }
  double precision = true_positives + false_positives ? double(true_positives) / double(true_positives + false_positives) : 0;
  double recall = double(true_positives) / double(expected.size());
  WARN("lab precision " << precision << " (" << true_positives << " of " << true_positives + false_positives
                        << " flags), recall " << recall << " (" << true_positives << " of " << expected.size() << ")");
  CHECK(precision == 1.0);
  CHECK(recall == 1.0);
}

TEST_CASE("lab check: the database keeps every observation, truth and verdict", "[lab][check]") {
  const CheckRun& run = lab_check();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(run.db.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  auto count = [db](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    long long n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
  };
  CHECK(count("SELECT count(*) FROM checks") == 1);
  CHECK(count("SELECT count(*) FROM observations") == 9 * 34);
  CHECK(count("SELECT count(*) FROM verdicts") == 9 * 34);
  CHECK(count("SELECT count(*) FROM truths") == 34);
  CHECK(count("SELECT count(*) FROM verdicts WHERE verdict = 'poisoned'") == 8);
  sqlite3_close(db);
}

TEST_CASE("lab check: a clean provider at an honest resolver exits 0 with a readable report", "[lab][check]") {
  TempDir dir;
  std::string resolvers = dir.path() + "/honest.txt";
  std::ofstream(resolvers) << address_of("HONEST") << "\n";
  auto env = lab_env();
  auto r = run_command({MXSENTRY_BINARY, "check", "geomail.com", "--resolvers", resolvers, "--root-hints",
                        env["LAB_ROOT_HINTS"], "--trust-anchor", env["LAB_ROOT_KEY"], "--allow-private"},
                       120000);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("geomail.com.  MX: 1 hosts, NS: 2 hosts; 8 consistent") != std::string::npos);
}

TEST_CASE("lab check: bad input stops with exit 2 and names the problem", "[lab][check]") {
  TempDir dir;
  std::string broken = dir.path() + "/resolvers.txt";
  std::ofstream(broken) << "127.53.10.1\nnot-an-address\n";
  auto env = lab_env();
  auto r = run_command({MXSENTRY_BINARY, "check", "geomail.com", "--resolvers", broken, "--allow-private"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(broken + ":2:") != std::string::npos);

  std::string thresholds = dir.path() + "/t.toml";
  std::ofstream(thresholds) << "[verdict]\npoisoned_at = 2\n";
  r = run_command({MXSENTRY_BINARY, "check", "geomail.com", "--resolvers", env["LAB_RESOLVERS_FILE"],
                   "--allow-private", "--thresholds", thresholds});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("verdict.poisoned_at") != std::string::npos);

  r = run_command({MXSENTRY_BINARY, "check", "geomail.com", "--resolvers", env["LAB_RESOLVERS_FILE"],
                   "--allow-private", "--asn-db", dir.path() + "/missing.pfx2as"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing.pfx2as") != std::string::npos);

  // Lab addresses are loopback: refused unless the user allows them.
  r = run_command({MXSENTRY_BINARY, "check", "geomail.com", "--resolvers", env["LAB_RESOLVERS_FILE"]});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("loopback") != std::string::npos);
}
