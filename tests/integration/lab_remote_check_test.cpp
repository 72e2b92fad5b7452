// `mxsentry check DOMAIN --coordinator`: the on-demand check through deployed probers. It must
// come back with verdicts from every vantage while a slow sweep still holds every prober's
// credit (it jumps the queue), and find the lab's poisoned resolver from each of them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <set>

#include "integration/json_lines.h"
#include "integration/sweep_deployment.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

/// A sweep slow enough to hold both probers' only unit slot for the whole check: at 0.05
/// queries a second per resolver (its own pace on the prober's engine; the check's tasks keep
/// theirs), a unit whose ten tasks ask one resolver twice takes 20 s.
std::uint64_t start_slow_sweep(Deployment& d) {
  auto env = lab_env();
  auto r = run_command({MXSENTRY_BINARY, "sweep", "start", "--control", d.control(), "--targets", env["LAB_NAMES_FILE"],
                        "--resolvers", env["LAB_RESOLVERS_FILE"], "--types", "A,AAAA", "--allow-private",
                        "--assignment", "all", "--per-resolver-qps", "0.05", "--timeout-ms", "700", "--retries", "0"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return std::stoull(r.out);
}

}  // namespace

TEST_CASE("lab remote check: verdicts per vantage, ahead of a running sweep", "[lab][sweep][check]") {
  Deployment d(25570);
  d.start_coordinator();
  for (const char* vp : {"vp1", "vp2"}) d.start_prober(vp, "", {"--capacity", "1"});
  Deployment::wait_for([&] { return d.prober_names().size() == 2; }, 10000, "two probers are connected");
  std::uint64_t slow = start_slow_sweep(d);
  sleep_ms(1500);  // its first units are out: no prober has credit left (results come per unit, later)

  auto env = lab_env();
  auto r = run_command({MXSENTRY_BINARY, "check", "plainmail.net", "--coordinator", d.control(), "--resolvers",
                        env["LAB_RESOLVERS_FILE"], "--allow-private", "--json", "--per-resolver-qps", "20",
                        "--timeout-ms", "700", "--retries", "1"},
                       120000);
  INFO(r.err);
  CHECK(r.exit_code == 1);  // the poisoned resolver is flagged
  // The slow sweep has not finished: the check went first, through each prober's express slot.
  CHECK(d.sweep(slow)["state"] == "running");
  json st = d.status();
  CHECK(st["express_units"].get<int>() > 0);
  CHECK(st["refused_units"].get<int>() == 0);  // each prober took its express unit

  auto verdicts = json_lines(r.out);
  REQUIRE_FALSE(verdicts.empty());
  std::set<std::string> vantages, keys;
  std::set<std::string> poisoned_from;
  for (const auto& v : verdicts) {
    std::string vantage = v["vantage"].get<std::string>();
    vantages.insert(vantage);
    keys.insert(vantage + " " + v["resolver"].get<std::string>() + " " + v["qname"].get<std::string>() + " " +
                v["qtype"].get<std::string>());
    // Flagged at first, asked again a few seconds later by the same vantage: the forged TTL
    // counted down, so the forgery sits in the resolver's cache.
    if (v["resolver"] == env["LAB_POISONED"] && v["qname"] == "mx.plainmail.net." && v["qtype"] == "A" &&
        v["verdict"] == "poisoned" && v.value("attack", "") == "cache" &&
        std::find(v["evidence"].begin(), v["evidence"].end(), "cached-forgery") != v["evidence"].end())
      poisoned_from.insert(vantage);
  }
  CHECK(vantages == std::set<std::string>{"vp1", "vp2"});
  CHECK(keys.size() == verdicts.size());  // one verdict per vantage, resolver and question
  CHECK(verdicts.size() % 2 == 0);        // both vantages asked the same
  CHECK(poisoned_from == std::set<std::string>{"vp1", "vp2"});

  // The human report names each vantage and its counts.
  auto human = run_command({MXSENTRY_BINARY, "check", "plainmail.net", "--coordinator", d.control(), "--resolvers",
                            env["LAB_RESOLVERS_FILE"], "--allow-private", "--per-resolver-qps", "20",
                            "--timeout-ms", "700", "--retries", "1"},
                           120000);
  CHECK(human.exit_code == 1);
  CHECK_THAT(human.out, Catch::Contains("vantage vp1: ") && Catch::Contains("vantage vp2: ") &&
                            Catch::Contains("poisoned"));
}

TEST_CASE("lab remote check: errors are clear and exit 2", "[lab][sweep][check]") {
  Deployment d(25580);
  d.start_coordinator();
  auto env = lab_env();
  // No prober is connected yet.
  auto none = run_command({MXSENTRY_BINARY, "check", "plainmail.net", "--coordinator", d.control(), "--resolvers",
                           env["LAB_RESOLVERS_FILE"], "--allow-private"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("no prober is connected"));
  // Options that only a local check uses are refused, not ignored.
  auto local_only = run_command({MXSENTRY_BINARY, "check", "plainmail.net", "--coordinator", d.control(), "--db", "x.db"});
  CHECK(local_only.exit_code == 2);
  CHECK_THAT(local_only.err, Catch::Contains("--db"));
  // A local check still needs resolvers.
  auto no_resolvers = run_command({MXSENTRY_BINARY, "check", "plainmail.net"});
  CHECK(no_resolvers.exit_code == 2);
  CHECK_THAT(no_resolvers.err, Catch::Contains("--resolvers"));

  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  // A domain that does not exist: its MX and NS are still asked (a forged answer would show),
  // and the report shows it has no hosts.
  auto nothing = run_command({MXSENTRY_BINARY, "check", "nosuchdomain.example", "--coordinator", d.control(),
                              "--resolvers", env["LAB_RESOLVERS_FILE"], "--allow-private", "--timeout-ms", "700",
                              "--retries", "0"},
                             120000);
  INFO(nothing.err);
  CHECK(nothing.exit_code == 0);
  CHECK_THAT(nothing.out, Catch::Contains("nosuchdomain.example.  MX: 0 hosts, NS: 0 hosts") &&
                              Catch::Contains("vantage vp1: 18 verdicts"));
  // No other sweep ran: the check's truth (NXDOMAIN) was known before its units went out, and
  // the answers that match it came back compact and were rebuilt.
  json st = d.status();
  INFO(st.dump());
  CHECK(st["compact_results"].get<int>() > 0);
  CHECK(st["compact_results"].get<int>() + st["full_results"].get<int>() == 18);
  // Neither resolvers given nor local resolvers at any prober.
  auto no_one = run_command({MXSENTRY_BINARY, "check", "plainmail.net", "--coordinator", d.control()}, 120000);
  CHECK(no_one.exit_code == 2);
  CHECK_THAT(no_one.err, Catch::Contains("resolver"));
  CHECK(d.try_status().has_value());  // the coordinator is still there
}
