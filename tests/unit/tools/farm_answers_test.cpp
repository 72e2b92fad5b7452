// What each kind of farm resolver, and each of the zone's servers, says.

#include <catch2/catch.hpp>

#include "tests/tools/farm_answers.hpp"

using namespace mxsentry::farm;

namespace {

ZoneModel model() {
  ZoneModel m;
  m.names = 100;
  m.forged_share = 0.5;
  return m;
}

ResolverProfile profile(Behaviour b) {
  ResolverProfile p;
  p.behaviour = b;
  p.delay_ms = 700;
  p.loss_permille = 300;
  p.rate_per_second = 2;
  return p;
}

Plan ask(const ResolverProfile& p, std::uint32_t resolver, std::uint32_t name, std::uint16_t qtype = type_a,
         std::uint64_t now_ms = 0, std::uint64_t random = 999) {
  RateWindow window;
  return resolver_plan(model(), p, resolver, NameClass{NameClass::host, name}, qtype, now_ms, random, window);
}

std::uint32_t forged_name(std::uint32_t resolver, bool forged) {
  for (std::uint32_t name = 0; name < 100; ++name)
    if (forges(model(), resolver, name) == forged) return name;
  FAIL("no such name");
  return 0;
}

}  // namespace

TEST_CASE("farm answers: names are classed against the zone") {
  const ZoneModel m = model();
  CHECK(classify(m, ".").kind == NameClass::root);
  CHECK(classify(m, "test.").kind == NameClass::above_zone);
  CHECK(classify(m, "mailhost.test.").kind == NameClass::apex);
  CHECK(classify(m, "ns2.mailhost.test.").kind == NameClass::server);
  CHECK(classify(m, "ns2.mailhost.test.").index == 1);
  CHECK(classify(m, "h42.mailhost.test.").kind == NameClass::host);
  CHECK(classify(m, "h42.mailhost.test.").index == 42);
  CHECK(classify(m, "h420.mailhost.test.").kind == NameClass::other_in_zone);
  CHECK(classify(m, "amailhost.test.").kind == NameClass::outside);
  CHECK(classify(m, "example.com.").kind == NameClass::outside);
}

TEST_CASE("farm answers: honest, slow and geo resolvers give a set the truth holds") {
  const Plan honest = ask(profile(Behaviour::honest), 1, 7);
  CHECK(honest.respond);
  CHECK(honest.recursion_available);
  CHECK_FALSE(honest.authoritative);
  CHECK(honest.content == Content::addresses);
  CHECK(honest.addresses.v4 == true_answer(model(), 7, false).v4);
  CHECK(honest.addresses.ttl == true_answer(model(), 7, false).ttl);
  CHECK(honest.delay_ms == 0);

  const Plan slow = ask(profile(Behaviour::slow), 1, 7);
  CHECK(slow.delay_ms == 700);
  CHECK(slow.addresses.v4 == honest.addresses.v4);

  for (std::uint32_t name = 0; name < 100; ++name) {
    const Plan geo = ask(profile(Behaviour::geo), 1, name);
    CHECK(geo.addresses.v4 == true_answer(model(), name, true).v4);  // what ns2 says: in the truth
  }
  CHECK(ask(profile(Behaviour::honest), 1, 7, type_aaaa).content == Content::addresses);
  CHECK(ask(profile(Behaviour::honest), 1, 7, 15).content == Content::negative);  // MX: no data
}

TEST_CASE("farm answers: a poisoned resolver forges its chosen names only") {
  const Plan forged = ask(profile(Behaviour::poisoned), 3, forged_name(3, true), type_a, 10'000);
  const Plan clean = ask(profile(Behaviour::poisoned), 3, forged_name(3, false));
  CHECK(forged.addresses.v4 == forged_answer(model(), 3, forged_name(3, true), 10).v4);
  CHECK(forged.addresses.ttl == forged_answer(model(), 3, forged_name(3, true), 10).ttl);
  CHECK(forged.addresses.ttl > 3600);
  CHECK(clean.addresses.v4 == true_answer(model(), forged_name(3, false), false).v4);
  const Plan later = ask(profile(Behaviour::poisoned), 3, forged_name(3, true), type_a, 13'000);
  if (later.addresses.ttl < forged.addresses.ttl) CHECK(forged.addresses.ttl - later.addresses.ttl == 3);
}

TEST_CASE("farm answers: CDN resolvers answer from the truth's /24") {
  const Plan cdn = ask(profile(Behaviour::cdn), 5, 9);
  CHECK(cdn.content == Content::addresses);
  CHECK((cdn.addresses.v4[0] >> 8) == (true_answer(model(), 9, false).v4[0] >> 8));
  CHECK(cdn.addresses.v4 == cdn_answer(model(), 5, 9).v4);
}

TEST_CASE("farm answers: failing resolvers") {
  CHECK_FALSE(ask(profile(Behaviour::silent), 1, 1).respond);
  const Plan servfail = ask(profile(Behaviour::servfail), 1, 1);
  CHECK(servfail.respond);
  CHECK(servfail.rcode == rcode_servfail);
  CHECK(servfail.content == Content::empty);
  CHECK(ask(profile(Behaviour::refused), 1, 1).rcode == rcode_refused);
  CHECK_FALSE(ask(profile(Behaviour::lossy), 1, 1, type_a, 0, 299).respond);  // 299 < 300 per mille
  CHECK(ask(profile(Behaviour::lossy), 1, 1, type_a, 0, 300).respond);
}

TEST_CASE("farm answers: a rate-limiting resolver answers N a second, then drops or refuses") {
  for (bool refuses : {false, true}) {
    ResolverProfile p = profile(Behaviour::ratelimit);
    p.refuse_over_rate = refuses;
    RateWindow window;
    auto at = [&](std::uint64_t ms) {
      return resolver_plan(model(), p, 1, NameClass{NameClass::host, 1}, type_a, ms, 0, window);
    };
    CHECK(at(1000).content == Content::addresses);
    CHECK(at(1100).content == Content::addresses);
    const Plan third = at(1200);
    CHECK(third.respond == refuses);
    if (refuses) CHECK(third.rcode == rcode_refused);
    CHECK(at(2000).content == Content::addresses);  // a new second
  }
}

TEST_CASE("farm answers: the root delegates the zone, ns1 and ns2 answer it with authority") {
  const ZoneModel m = model();
  const Plan referral = authority_plan(m, AuthServer::root_server(), classify(m, "h3.mailhost.test."), type_a);
  CHECK(referral.content == Content::referral);
  CHECK_FALSE(referral.authoritative);
  CHECK(referral.rcode == rcode_noerror);
  CHECK(authority_plan(m, AuthServer::root_server(), classify(m, "."), type_ns).content == Content::apex_ns);
  CHECK(authority_plan(m, AuthServer::root_server(), classify(m, "example.com."), type_a).rcode == rcode_nxdomain);
  CHECK(authority_plan(m, AuthServer::root_server(), classify(m, "mailhost.test."), type_ds).content == Content::negative);

  const Plan answer = authority_plan(m, AuthServer::of_zone(0, 0), classify(m, "h3.mailhost.test."), type_a);
  CHECK(answer.authoritative);
  CHECK(answer.content == Content::addresses);
  CHECK(answer.addresses.v4 == true_answer(m, 3, false).v4);
  for (std::uint32_t name = 0; name < 100; ++name)
    CHECK(authority_plan(m, AuthServer::of_zone(0, 1), NameClass{NameClass::host, name}, type_a).addresses.v4 ==
          true_answer(m, name, true).v4);
  CHECK(authority_plan(m, AuthServer::of_zone(0, 0), classify(m, "mailhost.test."), type_soa).content == Content::apex_soa);
  CHECK(authority_plan(m, AuthServer::of_zone(0, 0), classify(m, "h3.mailhost.test."), type_soa).content == Content::negative);
  CHECK(authority_plan(m, AuthServer::of_zone(0, 1), classify(m, "h333.mailhost.test."), type_a).rcode == rcode_nxdomain);
  CHECK(authority_plan(m, AuthServer::of_zone(0, 0), classify(m, "example.com."), type_a).rcode == rcode_refused);
  const Plan ns = authority_plan(m, AuthServer::of_zone(0, 0), classify(m, "ns2.mailhost.test."), type_a);
  CHECK(ns.content == Content::server_address);
  CHECK(ns.server == 1);
}

TEST_CASE("farm answers: with K zones the root delegates each to its own two servers") {
  ZoneModel m = model();
  m.zones = 50;
  CHECK(classify(m, "mailhost.test.").kind == NameClass::above_zone);
  const NameClass apex = classify(m, "z3.mailhost.test.");
  CHECK(apex.kind == NameClass::apex);
  CHECK(apex.zone == 3);
  const NameClass ns2 = classify(m, "ns2.z3.mailhost.test.");
  CHECK(ns2.kind == NameClass::server);
  CHECK(ns2.index == 1);
  CHECK(ns2.zone == 3);
  const NameClass host = classify(m, "h53.z3.mailhost.test.");
  CHECK(host.kind == NameClass::host);
  CHECK(host.index == 53);
  CHECK(host.zone == 3);
  const NameClass misplaced = classify(m, "h54.z3.mailhost.test.");  // h54 lives in z4
  CHECK(misplaced.kind == NameClass::other_in_zone);
  CHECK(misplaced.zone == 3);
  CHECK(classify(m, "z50.mailhost.test.").kind == NameClass::outside);
  CHECK(classify(m, "h3.mailhost.test.").kind == NameClass::outside);

  CHECK(auth_server_count(m) == 101);
  CHECK(auth_server(m, 0)->root);
  CHECK_FALSE(auth_server(m, 101));
  for (std::uint32_t offset = 1; offset < 101; ++offset) {
    const AuthServer s = *auth_server(m, offset);
    CHECK_FALSE(s.root);
    CHECK(s.zone < 50);
    CHECK(auth_offset(s.zone, s.index) == offset);
  }

  const Plan referral = authority_plan(m, AuthServer::root_server(), host, type_a);
  CHECK(referral.content == Content::referral);
  CHECK(referral.zone == 3);
  CHECK(authority_plan(m, AuthServer::root_server(), classify(m, "mailhost.test."), type_a).rcode == rcode_noerror);
  CHECK(authority_plan(m, AuthServer::root_server(), classify(m, "z77.mailhost.test."), type_a).rcode ==
        rcode_nxdomain);

  const Plan second = authority_plan(m, AuthServer::of_zone(3, 1), host, type_a);
  CHECK(second.authoritative);
  CHECK(second.addresses.v4 == true_answer(m, 53, true).v4);
  CHECK(authority_plan(m, AuthServer::of_zone(3, 0), host, type_a).addresses.v4 == true_answer(m, 53, false).v4);
  CHECK(authority_plan(m, AuthServer::of_zone(4, 0), host, type_a).rcode == rcode_refused);  // not its zone
  const Plan nothing = authority_plan(m, AuthServer::of_zone(3, 0), misplaced, type_a);
  CHECK(nothing.rcode == rcode_nxdomain);
  CHECK(nothing.zone == 3);
  const Plan ns = authority_plan(m, AuthServer::of_zone(3, 0), ns2, type_a);
  CHECK(ns.content == Content::server_address);
  CHECK(ns.zone == 3);
  CHECK(ns.server == 1);

  RateWindow window;
  const Plan soa = resolver_plan(m, profile(Behaviour::honest), 1, apex, type_soa, 0, 0, window);
  CHECK(soa.content == Content::apex_soa);
  CHECK(soa.zone == 3);
  CHECK_FALSE(soa.authoritative);
  const Plan mx = resolver_plan(m, profile(Behaviour::honest), 1, host, 15, 0, 0, window);
  CHECK(mx.content == Content::negative);
  CHECK(mx.zone == 3);  // the SOA of the host's own zone
}
