// A sweep whose probers refuse every task: one vantage does not ask private addresses (the
// lab's resolvers are on loopback), the other has them all on its opt-out list. Every task
// gets a result, every verdict is not-asked with the reason, none is unreachable, and
// `sweep show` and `status` count the refusals by reason.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "integration/sweep_deployment.h"

using namespace mxsentry::test;
using nlohmann::json;

TEST_CASE("lab sweep: probers that refuse every task leave not-asked verdicts, counted by reason", "[lab][sweep]") {
  Deployment d(25730);
  d.start_coordinator();
  std::string opt_out = d.dir().write("opt-out.txt", "# every lab address\n127.0.0.0/8\n");
  d.start_prober("vp1", "", {}, false);             // private addresses refused
  d.start_prober("vp2", "", {"--opt-out", opt_out});  // private allowed, but opted out
  Deployment::wait_for([&] { return d.prober_names().size() == 2; }, 10000, "two probers are connected");
  auto id = d.start_sweep("all");
  json s = d.wait_complete(id);
  INFO(s.dump());
  constexpr int per_vantage = 14 * 9;  // lab names (14 questions) x lab resolvers (9)
  CHECK(s["state"] == "complete");
  CHECK(s["tasks"].get<int>() == 2 * per_vantage);
  CHECK(s["results"] == s["tasks"]);
  CHECK(s["not_asked"] == json{{"opt-out", per_vantage}, {"private-refused", per_vantage}});

  auto verdicts = d.verdicts(id);
  CHECK(verdicts.size() == 2 * per_vantage);
  std::map<std::string, int> reasons;
  for (const auto& v : verdicts) {
    INFO(v.dump());
    CHECK(v["verdict"] == "not-asked");
    REQUIRE(v["evidence"].size() == 1);
    std::string reason = v["evidence"][0].get<std::string>();
    CHECK(reason == (v["vantage"] == "vp1" ? "private-refused" : "opt-out"));
    ++reasons[reason];
  }
  CHECK(reasons == std::map<std::string, int>{{"opt-out", per_vantage}, {"private-refused", per_vantage}});

  // The CLI: `sweep show` (JSON) and `status` (for people) say it too.
  auto show = run_command({MXSENTRY_BINARY, "sweep", "show", "--control", d.control(), std::to_string(id)});
  REQUIRE(show.exit_code == 0);
  CHECK(json::parse(show.out)["not_asked"] == s["not_asked"]);
  auto status = run_command({MXSENTRY_BINARY, "status", "--control", d.control()});
  REQUIRE(status.exit_code == 0);
  CHECK(status.out.find("not asked " + std::to_string(2 * per_vantage) + " (opt-out " + std::to_string(per_vantage) +
                        ", private-refused " + std::to_string(per_vantage) + ")") != std::string::npos);
}
