// Sweeps defined in the coordinator's TOML file: started by name and on their interval, run
// only by the probers whose tags match, with each prober's own local resolvers asked from it;
// and an `all` sweep whose vantage went away, ended as incomplete at its deadline.
#include <catch2/catch.hpp>

#include <csignal>
#include <set>

#include "integration/sweep_deployment.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

std::vector<json> sweeps_named(Deployment& d, const std::string& name) {
  std::vector<json> out;
  json s = d.status();
  for (const auto& sweep : s["sweeps"])
    if (sweep["name"] == name) out.push_back(sweep);
  return out;
}

}  // namespace

TEST_CASE("lab sweep schedule: a defined sweep runs on its interval, by name, on the tagged probers only",
          "[lab][sweep]") {
  Deployment d(25590);
  auto env = lab_env();
  // The shared list holds two resolvers; vp1 also declares one that only it asks.
  std::string shared = d.dir().write("shared-resolvers.txt", env["LAB_POISONED"] + "\n" + env["LAB_HONEST"] + "\n");
  std::string local = d.dir().write("vp1-local.txt", env["LAB_VALIDATING"] + "\n");
  d.start_coordinator(20000, "\n[[sweep]]\nname = \"eu-hourly\"\ntargets = \"" + env["LAB_NAMES_FILE"] +
                                 "\"\nresolvers = \"" + shared +
                                 "\"\ntypes = \"A\"\nassignment = \"all\"\nprobers = \"region=eu\"\n"
                                 "interval = \"4s\"\nper_resolver_qps = 20\ntimeout_ms = 700\nretries = 1\n"
                                 "allow_private = true\n");
  d.start_prober("vp1", "", {"--tags", "region=eu", "--resolvers", local});
  d.start_prober("vp2", "", {"--tags", "region=us"});
  Deployment::wait_for([&] { return d.prober_names().size() == 2; }, 10000, "two probers are connected");

  // On its interval: a first run, then a second one after it.
  Deployment::wait_for([&] { return sweeps_named(d, "eu-hourly").size() >= 2; }, 60000, "the sweep runs twice");
  auto runs = sweeps_named(d, "eu-hourly");
  json first = runs[0];
  std::uint64_t id = first["id"].get<std::uint64_t>();
  // The second run started an interval after the first, and not before the first had ended.
  CHECK(runs[1]["created_ms"].get<std::int64_t>() - first["created_ms"].get<std::int64_t>() >= 4000);
  first = d.wait_complete(id);
  CHECK(first["state"] == "complete");
  CHECK(first["probers"] == "region=eu");
  CHECK(first["tasks"] == first["results"]);
  std::set<std::string> vantages, resolvers;
  for (const auto& v : d.verdicts(id)) {
    vantages.insert(v["vantage"].get<std::string>());
    resolvers.insert(v["resolver"].get<std::string>());
  }
  CHECK(vantages == std::set<std::string>{"vp1"});  // vp2 is tagged region=us
  CHECK(resolvers == std::set<std::string>{env["LAB_POISONED"], env["LAB_HONEST"], env["LAB_VALIDATING"]});
  CHECK(first["tasks"].get<int>() == 14 * 3);  // 14 questions x (2 shared + 1 local resolver)

  // By name, from the CLI: the coordinator reads the definition's files itself.
  auto r = run_command({MXSENTRY_BINARY, "sweep", "start", "eu-hourly", "--control", d.control(), "--wait"}, 90000);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  auto unknown = run_command({MXSENTRY_BINARY, "sweep", "start", "no-such-sweep", "--control", d.control()});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no sweep named no-such-sweep"));
  // A named sweep is the file's: options that would change it are refused, not ignored.
  auto changed = run_command({MXSENTRY_BINARY, "sweep", "start", "eu-hourly", "--control", d.control(), "--probers",
                              "region=us"});
  CHECK(changed.exit_code == 2);
  CHECK_THAT(changed.err, Catch::Contains("--probers"));
  // An ad-hoc sweep may not take a defined sweep's name (its schedule counts runs by name).
  auto same_name = run_command({MXSENTRY_BINARY, "sweep", "start", "--control", d.control(), "--name", "eu-hourly",
                                "--targets", env["LAB_NAMES_FILE"], "--resolvers", shared, "--allow-private"});
  CHECK(same_name.exit_code == 2);
  CHECK_THAT(same_name.err, Catch::Contains("start it by its name alone"));
  json s = d.status();
  REQUIRE(s["definitions"].size() == 1);
  CHECK(s["definitions"][0]["interval_ms"] == 4000);
}

TEST_CASE("lab sweep schedule: an all-mode unit whose vantage is gone ends incomplete at the deadline",
          "[lab][sweep]") {
  Deployment d(25600);
  // Silence is noticed late (6 s): the stopped prober must still be listed when the sweep is planned.
  d.start_coordinator(20000, "all_deadline_ms = 20000\nmissed_heartbeats = 20\n");
  for (const char* vp : {"vp1", "vp2"}) d.start_prober(vp);
  Deployment::wait_for([&] { return d.prober_names().size() == 2; }, 10000, "two probers are connected");
  ::kill(d.prober_pid("vp2"), SIGSTOP);  // still listed for a moment: the sweep plans units for it
  std::uint64_t id = d.start_sweep("all");
  json s = d.wait_complete(id, 60000);
  ::kill(d.prober_pid("vp2"), SIGCONT);
  INFO(s.dump());
  CHECK(s["state"] == "incomplete");
  CHECK(s["tasks"].get<int>() == 2 * 14 * 9);
  CHECK(s["results"].get<int>() == 14 * 9);  // vp1's share, all of it; none of vp2's
  std::set<std::string> vantages;
  for (const auto& v : d.verdicts(id)) vantages.insert(v["vantage"].get<std::string>());
  CHECK(vantages == std::set<std::string>{"vp1"});
}

TEST_CASE("lab sweep schedule: in shard mode the deadline gives up a gone prober's local units only",
          "[lab][sweep]") {
  Deployment d(25610);
  auto env = lab_env();
  // vp1's local resolver: an address no shared task asks (an authoritative server will do).
  std::string local_address = env["LAB_PLAINMAIL_NS1"];
  std::string local = d.dir().write("vp1-local.txt", local_address + "\n");
  d.start_coordinator(20000, "all_deadline_ms = 3000\n");
  d.start_prober("vp1", "", {"--resolvers", local});
  d.start_prober("vp2");
  Deployment::wait_for([&] { return d.prober_names().size() == 2; }, 10000, "two probers are connected");
  std::uint64_t id = d.start_sweep("shard");
  ::kill(d.prober_pid("vp1"), SIGSTOP);  // gone: its shared units go to vp2, its local ones wait
  json s = d.wait_complete(id, 90000);
  ::kill(d.prober_pid("vp1"), SIGCONT);
  INFO(s.dump());
  CHECK(s["state"] == "incomplete");
  CHECK(s["tasks"].get<int>() == 14 * 9 + 14);
  // Every shared task was answered after the deadline passed; only local ones are missing.
  std::set<std::string> shared_answered;
  for (const auto& v : d.verdicts(id))
    if (v["resolver"] != local_address)
      shared_answered.insert(v["resolver"].get<std::string>() + " " + v["qname"].get<std::string>() + " " +
                             v["qtype"].get<std::string>());
  CHECK(shared_answered.size() == 14 * 9);
  CHECK(s["results"].get<int>() < s["tasks"].get<int>());
}
