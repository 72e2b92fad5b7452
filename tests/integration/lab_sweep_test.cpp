// Distributed sweeps on loopback: a coordinator and three probers (real processes, CURVE keys
// made by `mxsentry keygen`) against the lab's resolvers, with faults injected: a prober killed,
// a prober killed while its re-asks wait, a prober stopped past its lease, the coordinator
// killed and restarted, a stranger's key, and garbage on the wire. Every sweep must end with exactly one result per task.
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
#include <msgpack.hpp>
#include <sqlite3.h>
#include <zmq.hpp>

#include "integration/sweep_deployment.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

/// Runs SQL on the coordinator's database from another connection (as an operator, or a
/// failing disk, might change it under the service).
void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("lab sweep: three probers finish a sweep with one result per task, judged", "[lab][sweep]") {
  Deployment d(25510);
  d.start_coordinator();
  // Two units each at a time: the lab's 13 units go to more than one prober (with the default
  // credit of 16 the first prober ready would take them all).
  for (const char* vp : {"vp1", "vp2", "vp3"}) d.start_prober(vp, "", {"--capacity", "2"});
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

TEST_CASE("lab sweep: a vantage killed while its re-asks wait has them asked by another prober", "[lab][sweep]") {
  Deployment d(25650);
  // A long re-ask delay: vp1 is gone before its re-ask units may go out, and vp2 is there by then.
  std::string thresholds = d.dir().write("thresholds.toml", "[reask]\ndelay_ms = 8000\n");
  d.start_coordinator(20000, "thresholds = \"" + thresholds + "\"\n");
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  auto id = d.start_sweep();  // every answer from vp1
  Deployment::wait_for([&] { return d.sweep(id)["state"] == "re-asking"; }, 90000, "the flagged answers wait to be asked again");
  d.start_prober("vp2");
  Deployment::wait_for([&] { return d.prober_names().size() == 2; }, 10000, "vp2 is connected");
  ::kill(d.prober_pid("vp1"), SIGKILL);
  json s = d.wait_complete(id);
  check_exactly_once(d, id, s);
  CHECK(s["reasked"].get<int>() > 0);
  CHECK(d.prober_names() == std::vector<std::string>{"vp2"});
  // The lab's poisoned cache, seen by vp1 and asked again by vp2: its forged TTL counted down.
  std::optional<json> forged;
  for (const auto& v : d.verdicts(id))
    if (v["resolver"] == lab_env()["LAB_POISONED"] && v["qname"] == "mx.plainmail.net." && v["qtype"] == "A") forged = v;
  REQUIRE(forged);
  INFO(forged->dump());
  CHECK((*forged)["vantage"] == "vp1");
  CHECK((*forged)["verdict"] == "poisoned");
  auto evidence = (*forged)["evidence"].get<std::vector<std::string>>();
  CHECK(std::count(evidence.begin(), evidence.end(), "reasked-elsewhere") == 1);
  CHECK(std::count(evidence.begin(), evidence.end(), "cached-forgery") == 1);
  CHECK((*forged).value("reasked_by", "") == "vp2");
  CHECK((*forged).value("attack", "") == "cache");
}

TEST_CASE("lab sweep: a prober stopped past its lease has its late results dropped", "[lab][sweep]") {
  Deployment d(25530);
  d.start_coordinator(3000);
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  auto id = d.start_sweep();
  // Units go out once the sweep's truth is known: wait until vp1 holds some.
  Deployment::wait_for(
      [&] {
        json s = d.status();
        return !s["probers"].empty() && s["probers"][0].value("units", 0) > 0;
      },
      30000, "vp1 holds units");
  ::kill(d.prober_pid("vp1"), SIGSTOP);  // holding its first units
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
  {
    // A well-formed HELLO whose strings are not UTF-8: the status reply (JSON) must survive it.
    zmq::context_t context;
    zmq::socket_t raw(context, zmq::socket_type::dealer);
    raw.set(zmq::sockopt::linger, 2000);
    raw.connect(d.listen());
    msgpack::sbuffer body;
    msgpack::packer<msgpack::sbuffer> p(body);
    p.pack_map(6);
    p.pack("v"), p.pack(1);
    p.pack("id"), p.pack(std::string("bad\xff\xfeid"));
    p.pack("software"), p.pack(std::string("\xc3\x28"));
    p.pack("capacity"), p.pack(1);
    p.pack("tags"), p.pack_map(1), p.pack(std::string("k\xff")), p.pack(std::string("\xff"));
    p.pack("resolvers"), p.pack_array(0);
    std::string type = "HELLO";
    raw.send(zmq::buffer(type), zmq::send_flags::sndmore);
    raw.send(zmq::buffer(body.data(), body.size()), zmq::send_flags::none);
    Deployment::wait_for([&] { return d.status()["probers"].size() == 1; }, 10000, "the odd prober is listed");
  }
  CHECK(d.try_status().has_value());
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  auto id = d.start_sweep();
  json s = d.wait_complete(id);
  CHECK(s["results"] == s["tasks"]);
  CHECK(d.status()["dropped_messages"].get<int>() >= 4);
}

TEST_CASE("lab sweep: results the database refuses are kept and written once it takes them again", "[lab][sweep]") {
  Deployment d(25620);
  d.start_coordinator();
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  // Every insert of a result fails in the coordinator's store, as on a full disk.
  exec_sql(d.db(), "CREATE TRIGGER refuse_results BEFORE INSERT ON results BEGIN "
                   "SELECT RAISE(ABORT, 'refused by the test'); END");
  auto id = d.start_sweep();
  Deployment::wait_for(
      [&] {
        auto writer = d.status()["writer"];
        return writer.value("failures", 0) >= 3 && writer.value("backlog", 0) > 0;
      },
      30000, "results refused, and kept waiting");
  CHECK(d.sweep(id)["results"] == 0);
  CHECK(d.sweep(id)["state"] != "complete");  // its judging waits for them
  CHECK(d.status()["writer"]["last_error"].get<std::string>().find("refused by the test") != std::string::npos);
  // The store works again: every result kept in memory is written, none asked twice.
  exec_sql(d.db(), "DROP TRIGGER refuse_results");
  check_exactly_once(d, id, d.wait_complete(id));
  CHECK(d.status()["writer"]["backlog"] == 0);
  CHECK(d.status()["writer"].count("last_error") == 0);
}
