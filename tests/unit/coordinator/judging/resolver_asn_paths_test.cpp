// The resolvers' tagged ASes reach the judging by both paths: `mxsentry check` (its resolver
// catalog) and the sweeps (the sweep-start request or definition, kept in the sweep database,
// read back by the judging). Real files and a real SQLite database under /tmp.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "coordinator/control/control_requests.h"
#include "coordinator/judging/judge.h"
#include "coordinator/service/sweep_judging.h"
#include "coordinator/sweep/sweep_store.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

namespace {

constexpr std::uint16_t type_a = 1;
const char* const catalog = "192.0.2.53 asn=19281\n198.51.100.53 asn=15169 country=DE\n203.0.113.53\n";

Truth mx_truth() { return test::truth_of("mx.example.", type_a, {test::rr("mx.example.", type_a, 300, "192.0.2.10")}); }

Observation forged(const std::string& resolver) {
  Observation o = test::answer_of(resolver, "mx.example.", type_a, {test::rr("mx.example.", type_a, 300, "203.0.113.66")});
  o.time_ms = 1'700'000'000'000;
  return o;
}

}  // namespace

TEST_CASE("resolver ASes: a check's catalog tags reach the answer spread", "[judging]") {
  test::TempFile file(catalog);
  // As `mxsentry check` reads its resolvers and hands them to the judging.
  ResolverCatalog resolvers = load_resolver_catalog(file.path(), ResolverListOptions{true});
  ResolverAsns asns = tagged_asns(resolvers.resolvers);
  AnalysisConfig config;
  std::map<Question, Truth> truths{{Question{"mx.example.", type_a}, mx_truth()}};
  dnssec::Validator validator;
  Judge judge(JudgingInputs{&config, &truths, &validator, &asns, nullptr, nullptr});
  std::vector<Observation> observations;
  for (const auto& r : resolvers.resolvers) observations.push_back(forged(r.address.to_string()));
  for (const auto& o : observations) judge.add("local", o);
  CHECK(judge.spread(Question{"mx.example.", type_a}, test::rr("mx.example.", type_a, 0, "203.0.113.66")).networks == 2);
  CHECK(judge.resolver_ases() == std::set<std::uint32_t>{15169, 19281});
}

TEST_CASE("resolver ASes: a sweep's tags are kept with it and reach its judging", "[judging]") {
  test::TempFile db("");  // SQLite makes an empty file a database
  SweepStore store(db.path());
  std::vector<protocol::WorkTask> tasks{{0, "192.0.2.53", "mx.example.", type_a},
                                        {1, "198.51.100.53", "mx.example.", type_a},
                                        {2, "203.0.113.53", "mx.example.", type_a}};
  std::uint64_t id = store.create_sweep("tagged", "shard", SweepPlan{{}, {UnitPlan{std::nullopt, tasks, {}}}}, 0);
  std::uint64_t unit = store.open_units(id).at(0).id;
  std::vector<StoredResult> results;
  for (std::uint32_t i = 0; i < tasks.size(); ++i)
    results.push_back(StoredResult{unit, i, "vp1", forged(tasks[i].resolver)});
  store.add_results(results);

  // The tags come with the request (the CLI reads the catalog) or from the definition's file.
  std::map<std::string, std::uint32_t> tags;
  SECTION("from a sweep-start request") {
    nlohmann::json request{{"cmd", "sweep-start"},
                           {"resolvers", {"192.0.2.53", "198.51.100.53", "203.0.113.53"}},
                           {"resolver_asns", {{"192.0.2.53", 19281}, {"198.51.100.53", 15169}}},
                           {"questions", nlohmann::json::array({nlohmann::json::array({"mx.example.", 1})})}};
    tags = parse_sweep_start(request).resolver_asns;
  }
  SECTION("from a sweep definition's resolver file") {
    test::TempFile resolvers(catalog), names("mx.example.\n");
    SweepDefinition definition;
    definition.name = "tagged";
    definition.targets_path = names.path();
    definition.resolvers_path = resolvers.path();
    definition.types = "A";
    definition.allow_private = true;  // documentation addresses
    tags = launch_of_definition(definition).resolver_asns;
  }
  CHECK(tags == std::map<std::string, std::uint32_t>{{"192.0.2.53", 19281}, {"198.51.100.53", 15169}});
  SweepStore(db.path()).set_resolver_asns(id, tags);

  AnalysisConfig config;
  SweepJudging job;
  job.db_path = db.path();
  job.sweep = id;
  job.config = &config;
  job.known = std::make_shared<SweepTruth>();  // no truth lookup: no network
  job.known->truths.emplace(Question{"mx.example.", type_a}, mx_truth());
  JudgedSweep judged = judge_sweep(job);
  REQUIRE(judged.error.empty());
  CHECK(judged.verdicts.size() == 3);
  CHECK(judged.resolver_ases == std::set<std::uint32_t>{15169, 19281});
}

TEST_CASE("resolver ASes: a sweep-start request with a bad tag is refused", "[judging]") {
  nlohmann::json request{{"cmd", "sweep-start"}, {"resolvers", {"192.0.2.53"}}, {"questions", nlohmann::json::array({nlohmann::json::array({"mx.example.", 1})})}};
  CHECK(parse_sweep_start(request).resolver_asns.empty());
  request["resolver_asns"] = {{"not an address", 19281}};
  CHECK_THROWS_AS(parse_sweep_start(request), std::invalid_argument);
  request["resolver_asns"] = {{"192.0.2.53", -1}};
  CHECK_THROWS_AS(parse_sweep_start(request), std::invalid_argument);
  request["resolver_asns"] = {{"192.0.2.53", "19281"}};
  CHECK_THROWS_AS(parse_sweep_start(request), std::invalid_argument);
}
