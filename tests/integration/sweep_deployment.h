#pragma once
// A coordinator and its probers as real processes on loopback, for the lab's sweep tests:
// CURVE keys made by `mxsentry keygen` (vp1..vp3 allowed, "stranger" not), a TOML
// configuration as a deployment has it, and the CLI to start, watch and read sweeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "integration/child_process.h"
#include "integration/json_lines.h"
#include "integration/lab_env.h"

namespace mxsentry::test {

inline constexpr const char* coordinator_binary = MXSENTRY_COORDINATOR_BINARY;
inline constexpr const char* prober_binary = MXSENTRY_PROBER_BINARY;

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

class Deployment {
 public:
  /// `port` and `port + 1`: prober and control endpoints of this test case's coordinator.
  Deployment(int port, bool insecure = false) : insecure_(insecure) {
    listen_ = "tcp://127.0.0.1:" + std::to_string(port);
    control_ = "tcp://127.0.0.1:" + std::to_string(port + 1);
    db_ = dir_.path() + "/coordinator.sqlite";
    ::mkdir((dir_.path() + "/allowed").c_str(), 0700);
    if (!insecure_) {
      keygen(dir_.path() + "/coord");
      for (const char* name : {"vp1", "vp2", "vp3"}) {
        keygen(dir_.path() + "/" + name);
        std::rename((dir_.path() + "/" + name + ".pub").c_str(), (dir_.path() + "/allowed/" + name + ".pub").c_str());
      }
      keygen(dir_.path() + "/stranger");  // never allowed
    }
  }

  static void keygen(const std::string& base) {
    auto r = run_command({MXSENTRY_BINARY, "keygen", base});
    REQUIRE(r.exit_code == 0);
  }

  /// `extra_config`: more TOML (sweep definitions, deadlines) after the lab's settings.
  void start_coordinator(int lease_ms = 20000, const std::string& extra_config = "") {
    auto env = lab_env();
    // Settings from a TOML file (as a deployment has them), endpoints and the lease as flags.
    std::string config = dir_.write("coordinator.toml", "root_hints = \"" + env["LAB_ROOT_HINTS"] +
                                                            "\"\ntrust_anchor = \"" + env["LAB_ROOT_KEY"] +
                                                            "\"\nasn_db = \"" + env["LAB_ASN_DB"] +
                                                            "\"\nunit_size = 10\nheartbeat_ms = 300\n" + extra_config);
    std::vector<std::string> argv{coordinator_binary, "--config", config, "--listen", listen_, "--control", control_,
                                  "--db", db_, "--lease-ms", std::to_string(lease_ms)};
    if (insecure_) {
      argv.push_back("--insecure");
    } else {
      argv.insert(argv.end(), {"--key", dir_.path() + "/coord.key", "--allow", dir_.path() + "/allowed"});
    }
    coordinator_.emplace(argv, coordinator_log_);
    wait_for([&] { return try_status().has_value(); }, 10000, "the coordinator answers");
  }

  /// `allow_private` false: a vantage that refuses the lab's loopback resolvers (not asked).
  void start_prober(const std::string& name, const std::string& key = "", const std::vector<std::string>& extra = {},
                    bool allow_private = true) {
    std::vector<std::string> argv{prober_binary, "--coordinator", listen_, "--id", name, "--max-per-resolver-qps", "20"};
    if (allow_private) argv.push_back("--allow-private");
    argv.insert(argv.end(), extra.begin(), extra.end());
    if (insecure_) {
      argv.push_back("--insecure");
    } else {
      argv.insert(argv.end(), {"--key", dir_.path() + "/" + (key.empty() ? name : key) + ".key", "--server-key",
                               dir_.path() + "/coord.pub"});
    }
    probers_.emplace(name, std::make_unique<ChildProcess>(argv));
  }

  pid_t prober_pid(const std::string& name) { return probers_.at(name)->pid(); }
  /// Stops a prober (SIGTERM: it says goodbye).
  void stop_prober(const std::string& name) { probers_.erase(name); }
  /// The database somewhere else than the test's directory (before start_coordinator).
  void set_db(const std::string& path) { db_ = path; }
  /// The coordinator's log to a file instead of the test's stderr (before start_coordinator).
  void log_coordinator_to(const std::string& path) { coordinator_log_ = path; }
  pid_t coordinator_pid() { return coordinator_->pid(); }
  void forget_coordinator() { coordinator_.reset(); }

  std::optional<nlohmann::json> try_status() {
    auto r = run_command({MXSENTRY_BINARY, "status", "--control", control_, "--json"}, 8000);
    if (r.exit_code != 0) return std::nullopt;
    return nlohmann::json::parse(r.out);
  }
  nlohmann::json status() {
    auto s = try_status();
    REQUIRE(s);
    return *s;
  }
  std::vector<std::string> prober_names() {
    std::vector<std::string> names;
    nlohmann::json s = status();  // kept: a range-for over status()["probers"] would outlive the temporary
    for (const auto& p : s["probers"]) names.push_back(p["name"].get<std::string>());
    std::sort(names.begin(), names.end());
    return names;
  }

  std::uint64_t start_sweep(const std::string& assignment = "shard") {
    auto env = lab_env();
    auto r = run_command({MXSENTRY_BINARY, "sweep", "start", "--control", control_, "--targets", env["LAB_NAMES_FILE"],
                          "--resolvers", env["LAB_RESOLVERS_FILE"], "--types", "A", "--allow-private",
                          "--assignment", assignment, "--per-resolver-qps", "20", "--timeout-ms", "700",
                          "--retries", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return std::stoull(r.out);
  }
  nlohmann::json sweep(std::uint64_t id) {
    nlohmann::json all = status();
    for (const auto& s : all["sweeps"])
      if (s["id"] == id) return s;
    FAIL("no sweep " << id);
    return nlohmann::json{};
  }
  nlohmann::json wait_complete(std::uint64_t id, int timeout_ms = 90000) {
    nlohmann::json s;
    wait_for([&] { s = sweep(id); return s["state"] == "complete" || s["state"] == "incomplete"; }, timeout_ms,
             "the sweep finishes");
    return s;
  }
  std::vector<nlohmann::json> verdicts(std::uint64_t id) {
    auto r = run_command({MXSENTRY_BINARY, "results", "--db", db_, "--sweep", std::to_string(id), "--json"});
    REQUIRE(r.exit_code == 0);
    return json_lines(r.out);
  }
  template <typename Condition>
  static void wait_for(Condition done, int timeout_ms, const char* what) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) FAIL("timed out waiting until " << what);
      sleep_ms(200);
    }
  }
  const std::string& listen() const { return listen_; }
  const std::string& control() const { return control_; }
  const std::string& db() const { return db_; }
  TempDir& dir() { return dir_; }

 private:
  bool insecure_;
  TempDir dir_;
  std::string listen_, control_, db_, coordinator_log_;
  std::optional<ChildProcess> coordinator_;
  std::map<std::string, std::unique_ptr<ChildProcess>> probers_;
};

/// A lab sweep (14 questions x 9 resolvers) whose every task was answered once: as many results as tasks, one verdict each, none twice.
inline void check_exactly_once(Deployment& d, std::uint64_t id, const nlohmann::json& s) {
  INFO(s.dump());
  CHECK(s["state"] == "complete");
  CHECK(s["results"] == s["tasks"]);
  CHECK(s["tasks"].get<int>() == 14 * 9);  // lab names (14 questions) x lab resolvers (9)
  auto verdicts = d.verdicts(id);
  CHECK(verdicts.size() == 14 * 9);
  std::set<std::string> keys;
  for (const auto& v : verdicts)
    keys.insert(v["resolver"].get<std::string>() + " " + v["qname"].get<std::string>() + " " + v["qtype"].get<std::string>());
  CHECK(keys.size() == verdicts.size());
}

}  // namespace mxsentry::test
