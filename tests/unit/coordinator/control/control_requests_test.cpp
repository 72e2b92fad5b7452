// The control endpoint's requests read from JSON: defaults, ranges and clear refusals.
#include <catch2/catch.hpp>

#include "coordinator/control/control_requests.h"

using namespace mxsentry;
using nlohmann::json;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

/// [[name, type], ...] built one by one (a braced list of one json would be copied, not wrapped).
json questions(std::initializer_list<std::pair<const char*, int>> list) {
  json out = json::array();
  for (const auto& [name, type] : list) out.push_back(json::array({name, type}));
  return out;
}

}  // namespace

TEST_CASE("control requests: a sweep start with defaults and with every setting", "[coordinator]") {
  json request{{"cmd", "sweep-start"},
               {"resolvers", {"192.0.2.1", "[2001:db8::1]:5353"}},
               {"questions", questions({{"MX.Example.COM", 15}, {"a.example.", 1}})}};
  SweepLaunch l = parse_sweep_start(request);
  CHECK(l.name == "on-demand");
  CHECK(l.assignment == Assignment::shard);
  CHECK(l.resolvers.size() == 2);
  REQUIRE(l.questions.size() == 2);
  CHECK(l.questions[0] == Question{"mx.example.com.", 15});
  CHECK(l.settings.per_resolver_qps == 5);
  CHECK(l.settings.priority == 0);
  CHECK(l.local_resolvers);

  request.update({{"name", "nightly"}, {"assignment", "all"}, {"per_resolver_qps", 0.5}, {"timeout_ms", 1500},
                  {"retries", 0}, {"probers", " region=eu , asn=3320"}, {"local_resolvers", false}});
  l = parse_sweep_start(request);
  CHECK(l.name == "nightly");
  CHECK(l.assignment == Assignment::all);
  CHECK(l.settings.per_resolver_qps == 0.5);
  CHECK(l.settings.timeout_ms == 1500);
  CHECK(l.settings.retries == 0);
  CHECK(l.settings.probers == "asn=3320,region=eu");
  CHECK_FALSE(l.local_resolvers);
}

TEST_CASE("control requests: bad sweep starts are refused with the reason", "[coordinator]") {
  json good{{"resolvers", {"192.0.2.1"}}, {"questions", questions({{"a.example.", 1}})}};
  auto with = [&](const json& patch) {
    json r = good;
    r.update(patch);
    return error_of([&] { parse_sweep_start(r); });
  };
  CHECK_THAT(with({{"assignment", "some"}}), Catch::Contains("assignment"));
  CHECK_THAT(with({{"resolvers", {"not an address"}}}), Catch::Contains("not a resolver address"));
  CHECK_THAT(with({{"resolvers", "192.0.2.1"}}), Catch::Contains("resolvers"));
  CHECK_THAT(with({{"questions", questions({{"a.example.", 70000}})}}), Catch::Contains("questions"));
  CHECK_THAT(with({{"questions", {"a.example."}}}), Catch::Contains("questions"));
  CHECK_THAT(with({{"per_resolver_qps", 0}}), Catch::Contains("per_resolver_qps"));
  CHECK_THAT(with({{"per_resolver_qps", "fast"}}), Catch::Contains("per_resolver_qps"));
  CHECK_THAT(with({{"timeout_ms", 50}}), Catch::Contains("timeout_ms"));
  CHECK_THAT(with({{"timeout_ms", 4294967396LL}}), Catch::Contains("timeout_ms"));  // would wrap to 100
  CHECK_THAT(with({{"retries", -1}}), Catch::Contains("retries"));
  CHECK_THAT(with({{"retries", 9}}), Catch::Contains("retries"));
  CHECK_THAT(with({{"probers", "region"}}), Catch::Contains("region"));
  json no_resolvers{{"questions", questions({{"a.example.", 1}})}};
  CHECK_THAT(error_of([&] { parse_sweep_start(no_resolvers); }), Catch::Contains("resolvers"));
}

TEST_CASE("control requests: an on-demand check", "[coordinator]") {
  json request{{"cmd", "check"}, {"domains", {"Example.ORG", "mail.example.net"}}};
  CheckRequest c = parse_check_request(request);
  CHECK(c.domains == std::vector<std::string>{"example.org.", "mail.example.net."});
  CHECK(c.host_types == std::vector<std::uint16_t>{1, 28});
  CHECK(c.resolvers.empty());  // the probers' own resolvers only
  CHECK(c.settings.priority == 1);
  CHECK(c.wait_ms == 120'000);

  request.update({{"types", "A"}, {"resolvers", {"192.0.2.53"}}, {"wait_ms", 5000}});
  c = parse_check_request(request);
  CHECK(c.host_types == std::vector<std::uint16_t>{1});
  CHECK(c.resolvers == std::vector<std::string>{"192.0.2.53"});
  CHECK(c.wait_ms == 5000);

  auto with = [&](const json& patch) {
    json r = request;
    r.update(patch);
    return error_of([&] { parse_check_request(r); });
  };
  CHECK_THAT(with({{"domains", json::array()}}), Catch::Contains("domains"));
  CHECK_THAT(with({{"domains", {"bad..name"}}}), !Catch::Contains("no error"));
  CHECK_THAT(with({{"types", "A,NOPE"}}), Catch::Contains("NOPE"));
  CHECK_THAT(with({{"wait_ms", 10}}), Catch::Contains("wait_ms"));
  CHECK_THAT(with({{"timeout_ms", 999999}}), Catch::Contains("timeout_ms"));
}
