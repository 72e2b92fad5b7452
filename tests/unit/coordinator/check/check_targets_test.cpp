// What a check asks: domains' MX and NS, then their hosts, the most shared first.
#include <catch2/catch.hpp>

#include "coordinator/check/check_targets.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;
using namespace mxsentry::test;

namespace {
constexpr std::uint16_t A = 1, NS = 2, MX = 15, AAAA = 28;
}

TEST_CASE("check targets: hosts come from MX exchanges and NS names, canonical", "[check]") {
  Truth mx = truth_of("example.com.", MX,
                      {rr("example.com.", MX, 300, "10 MX1.Example.com."), rr("example.com.", MX, 300, "20 mx2.example.com"),
                       rr("example.com.", MX, 300, "30 mx1.example.com.")});
  CHECK(hosts_of(mx) == std::vector<std::string>{"mx1.example.com.", "mx2.example.com."});
  Truth null_mx = truth_of("nomail.example.", MX, {rr("nomail.example.", MX, 300, "0 .")});
  CHECK(hosts_of(null_mx).empty());  // RFC 7505: no mail, no host
  Truth ns = truth_of("example.com.", NS, {rr("example.com.", NS, 300, "ns1.example.net.")});
  CHECK(hosts_of(ns) == std::vector<std::string>{"ns1.example.net."});
  // Records of other types in the answer (a CNAME chain) are not hosts.
  Truth mixed = truth_of("example.com.", MX, {rr("example.com.", 5, 300, "other.example.")});
  CHECK(hosts_of(mixed).empty());
}

TEST_CASE("check targets: each domain gets its hosts, and why it has none", "[check]") {
  Truth failed = truth_of("lame.example.", MX, {});
  failed.rcode = -1;
  failed.error = "lame delegation";
  std::vector<Truth> truths{truth_of("a.example.", MX, {rr("a.example.", MX, 300, "10 mx.shared.example.")}),
                            truth_of("A.Example", NS, {rr("a.example.", NS, 300, "ns.a.example.")}), failed};
  auto domains = domain_targets({"A.example", "lame.example"}, truths);
  REQUIRE(domains.size() == 2);
  CHECK(domains[0].domain == "a.example.");
  CHECK(domains[0].mx_hosts == std::vector<std::string>{"mx.shared.example."});
  CHECK(domains[0].ns_hosts == std::vector<std::string>{"ns.a.example."});
  CHECK(domains[0].error.empty());
  CHECK(domains[1].error == "MX: lame delegation");
}

// targets expand printed "0 hosts" and exited 0 for a domain whose MX ran into a CNAME loop:
// the truth had an rcode (the first zone answered) and the error of the chain.
TEST_CASE("check targets: a truth cut short by a CNAME loop is the domain's error", "[check]") {
  Truth looped = truth_of("loop.example.", MX, {rr("loop.example.", 5, 300, "b.loop.example."),
                                                 rr("b.loop.example.", 5, 300, "loop.example.")});
  looped.rcode = 0;
  looped.error = "at b.loop.example.: CNAME chain longer than 8";
  auto domains = domain_targets({"loop.example"}, {looped, truth_of("loop.example.", NS, {rr("loop.example.", NS, 300, "ns.loop.example.")})});
  REQUIRE(domains.size() == 1);
  CHECK(domains[0].mx_hosts.empty());
  CHECK(domains[0].ns_hosts == std::vector<std::string>{"ns.loop.example."});
  CHECK(domains[0].error == "MX: at b.loop.example.: CNAME chain longer than 8");
}

TEST_CASE("check targets: questions are the domains' MX and NS, then hosts by in-degree", "[check]") {
  std::vector<DomainTargets> domains{
      {"a.example.", {"mx.a.example."}, {"ns.shared.example."}, ""},
      {"b.example.", {"mx.b.example."}, {"ns.shared.example."}, ""},
  };
  auto questions = check_questions(domains, {A, AAAA});
  std::vector<Question> expected{
      {"a.example.", MX},         {"a.example.", NS},          {"b.example.", MX},         {"b.example.", NS},
      {"ns.shared.example.", A}, {"ns.shared.example.", AAAA}, {"mx.a.example.", A},      {"mx.a.example.", AAAA},
      {"mx.b.example.", A},      {"mx.b.example.", AAAA},
  };
  CHECK(questions == expected);
  CHECK(domains_of({"ns.shared.example.", A}, domains) == std::vector<std::string>{"a.example.", "b.example."});
  CHECK(domains_of({"MX.A.example", A}, domains) == std::vector<std::string>{"a.example."});
  CHECK(domains_of({"b.example.", MX}, domains) == std::vector<std::string>{"b.example."});
  CHECK(domains_of({"elsewhere.example.", A}, domains).empty());
}
