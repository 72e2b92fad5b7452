// Distributed sweeps on loopback: a coordinator and three probers (real processes, CURVE keys
// made by `mxsentry keygen`) against the lab's resolvers, with faults injected: a prober killed,
// a prober stopped past its lease, the coordinator killed and restarted, a stranger's key, and
// garbage on the wire. Every sweep must end with exactly one result per task.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "integration/child_process.h"
#include "integration/lab_env.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

constexpr const char* coordinator_binary = MXSENTRY_COORDINATOR_BINARY;
constexpr const char* prober_binary = MXSENTRY_PROBER_BINARY;

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

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

  void start_coordinator(int lease_ms = 20000) {
    auto env = lab_env();
    // Settings from a TOML file (as a deployment has them), endpoints and the lease as flags.
    std::string config = dir_.write("coordinator.toml", "root_hints = \"" + env["LAB_ROOT_HINTS"] +
                                                            "\"\ntrust_anchor = \"" + env["LAB_ROOT_KEY"] +
                                                            "\"\nasn_db = \"" + env["LAB_ASN_DB"] +
                                                            "\"\nunit_size = 10\nheartbeat_ms = 300\n");
    std::vector<std::string> argv{coordinator_binary, "--config", config, "--listen", listen_, "--control", control_,
                                  "--db", db_, "--lease-ms", std::to_string(lease_ms)};
    if (insecure_) {
      argv.push_back("--insecure");
    } else {
      argv.insert(argv.end(), {"--key", dir_.path() + "/coord.key", "--allow", dir_.path() + "/allowed"});
    }
    coordinator_.emplace(argv);
    wait_for([&] { return try_status().has_value(); }, 10000, "the coordinator answers");
  }

  void start_prober(const std::string& name, const std::string& key = "") {
    std::vector<std::string> argv{prober_binary, "--coordinator", listen_, "--id", name, "--allow-private",
                                  "--max-per-resolver-qps", "20"};
    if (insecure_) {
      argv.push_back("--insecure");
    } else {
      argv.insert(argv.end(), {"--key", dir_.path() + "/" + (key.empty() ? name : key) + ".key", "--server-key",
                               dir_.path() + "/coord.pub"});
    }
    probers_.emplace(name, std::make_unique<ChildProcess>(argv));
  }

  pid_t prober_pid(const std::string& name) { return probers_.at(name)->pid(); }
  pid_t coordinator_pid() { return coordinator_->pid(); }
  void forget_coordinator() { coordinator_.reset(); }

  std::optional<json> try_status() {
    auto r = run_command({MXSENTRY_BINARY, "status", "--control", control_, "--json"}, 8000);
    if (r.exit_code != 0) return std::nullopt;
    return json::parse(r.out);
  }
  json status() {
    auto s = try_status();
    REQUIRE(s);
    return *s;
  }
  std::vector<std::string> prober_names() {
    std::vector<std::string> names;
    json s = status();  // kept: a range-for over status()["probers"] would outlive the temporary
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
  json sweep(std::uint64_t id) {
    json all = status();
    for (const auto& s : all["sweeps"])
      if (s["id"] == id) return s;
    FAIL("no sweep " << id);
    return {};
  }
  json wait_complete(std::uint64_t id, int timeout_ms = 90000) {
    json s;
    wait_for([&] { s = sweep(id); return s["state"] == "complete" || s["state"] == "incomplete"; }, timeout_ms,
             "the sweep finishes");
    return s;
  }
  std::vector<json> verdicts(std::uint64_t id) {
    auto r = run_command({MXSENTRY_BINARY, "results", "--db", db_, "--sweep", std::to_string(id), "--json"});
    REQUIRE(r.exit_code == 0);
    std::vector<json> out;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) out.push_back(json::parse(line));
    return out;
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

 private:
  bool insecure_;
  TempDir dir_;
  std::string listen_, control_, db_;
  std::optional<ChildProcess> coordinator_;
  std::map<std::string, std::unique_ptr<ChildProcess>> probers_;
};

/// Every task answered once: the result count equals the task count, and one verdict each.
void check_exactly_once(Deployment& d, std::uint64_t id, const json& s) {
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

}  // namespace

TEST_CASE("lab sweep: three probers finish a sweep with one result per task, judged", "[lab][sweep]") {
  Deployment d(25510);
  d.start_coordinator();
  for (const char* vp : {"vp1", "vp2", "vp3"}) d.start_prober(vp);
  Deployment::wait_for([&] { return d.prober_names().size() == 3; }, 10000, "three probers are connected");
  CHECK(d.prober_names() == std::vector<std::string>{"vp1", "vp2", "vp3"});  // names from their keys
  auto id = d.start_sweep();
  check_exactly_once(d, id, d.wait_complete(id));
  // The poisoned resolver is found from the vantages, and each verdict names its vantage.
  std::set<std::string> vantages;
  bool poisoned = false;
  for (const auto& v : d.verdicts(id)) {
    vantages.insert(v["vantage"].get<std::string>());
    if (v["resolver"] == lab_env()["LAB_POISONED"] && v["qname"] == "mx.plainmail.net." && v["qtype"] == "A")
      poisoned = v["verdict"] == "poisoned";
  }
  CHECK(poisoned);
  CHECK(vantages.size() >= 2);
}

TEST_CASE("lab sweep: a prober killed mid-sweep loses its units to the others", "[lab][sweep]") {
  Deployment d(25520);
  d.start_coordinator();
  for (const char* vp : {"vp1", "vp2", "vp3"}) d.start_prober(vp);
  Deployment::wait_for([&] { return d.prober_names().size() == 3; }, 10000, "three probers are connected");
  auto id = d.start_sweep();
  Deployment::wait_for([&] { return d.sweep(id)["results"].get<int>() > 0; }, 30000, "results arrive");
  ::kill(d.prober_pid("vp1"), SIGKILL);
  check_exactly_once(d, id, d.wait_complete(id));
  CHECK(d.prober_names() == std::vector<std::string>{"vp2", "vp3"});
}

TEST_CASE("lab sweep: a prober stopped past its lease has its late results dropped", "[lab][sweep]") {
  Deployment d(25530);
  d.start_coordinator(3000);
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  auto id = d.start_sweep();
  ::kill(d.prober_pid("vp1"), SIGSTOP);  // holding its first unit
  d.start_prober("vp2");
  d.start_prober("vp3");
  json s = d.wait_complete(id);
  ::kill(d.prober_pid("vp1"), SIGCONT);  // it finishes its old unit and sends it: too late
  Deployment::wait_for([&] { return d.status().value("late_results", 0) > 0; }, 20000, "the late results arrive");
  check_exactly_once(d, id, d.sweep(id));
}

TEST_CASE("lab sweep: the coordinator killed mid-sweep resumes after a restart", "[lab][sweep]") {
  Deployment d(25540);
  d.start_coordinator();
  for (const char* vp : {"vp1", "vp2", "vp3"}) d.start_prober(vp);
  Deployment::wait_for([&] { return d.prober_names().size() == 3; }, 10000, "three probers are connected");
  auto id = d.start_sweep();
  Deployment::wait_for([&] { return d.sweep(id)["results"].get<int>() > 0; }, 30000, "results arrive");
  ::kill(d.coordinator_pid(), SIGKILL);
  d.forget_coordinator();
  sleep_ms(500);
  d.start_coordinator();
  check_exactly_once(d, id, d.wait_complete(id));
}

TEST_CASE("lab sweep: a key not on the allowlist gets nothing and changes nothing", "[lab][sweep]") {
  Deployment d(25550);
  d.start_coordinator();
  d.start_prober("intruder", "stranger");
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  sleep_ms(1500);  // time for the stranger to try
  CHECK(d.prober_names() == std::vector<std::string>{"vp1"});
  auto id = d.start_sweep();
  check_exactly_once(d, id, d.wait_complete(id));
  for (const auto& v : d.verdicts(id)) CHECK(v["vantage"] == "vp1");
}

TEST_CASE("lab sweep: garbage, oversized and truncated messages crash nothing", "[lab][sweep]") {
  Deployment d(25560, true);
  d.start_coordinator();
  {
    zmq::context_t context;
    zmq::socket_t raw(context, zmq::socket_type::dealer);
    raw.set(zmq::sockopt::linger, 2000);
    raw.connect(d.listen());
    auto send = [&](std::vector<std::string> parts) {
      for (std::size_t i = 0; i < parts.size(); ++i)
        raw.send(zmq::buffer(parts[i]), i + 1 < parts.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    };
    send({"just one frame"});
    send({"HELLO", "\x81\xa1", "extra", "frames", "and more"});
    send({"HELLO", std::string("\xdd\xff\x00\x00\x00", 5)});  // a 4-billion-element array header
    send({"RESULTS", std::string("\x82\xa1v\x01", 4)});       // truncated map
    send({"NONSENSE", "\x80"});
    send({"WORK", std::string(9 << 20, 'x')});                // over the size limit: the connection goes
  }
  CHECK(d.try_status().has_value());
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  auto id = d.start_sweep();
  json s = d.wait_complete(id);
  CHECK(s["results"] == s["tasks"]);
  CHECK(d.status()["dropped_messages"].get<int>() >= 4);
}
