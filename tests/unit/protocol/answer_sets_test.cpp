// Compact results: keyed answer digests, the truth's distinct answer sets, and the round trip
// prober (match_answer) -> coordinator (rebuild_observation).

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "protocol/answer_sets.h"
#include "coordinator/sweep/truth_answer_sets.h"
#include "tests/unit/test_support.h"

using namespace mxsentry;
using namespace mxsentry::protocol;
using mxsentry::test::ep;

namespace {

const DigestKey key{0x0123456789abcdefull, 0xfedcba9876543210ull};

ResourceRecord rr(const char* name, std::uint16_t type, std::uint32_t ttl, const char* rdata) {
  return ResourceRecord{name, type, ttl, rdata};
}

std::vector<ResourceRecord> mx_answer() {
  return {rr("example.", 15, 300, "10 mx1.example."), rr("example.", 15, 300, "20 mx2.example."),
          rr("example.", 15, 300, "30 mx3.example.")};
}

ServerAnswer server(const char* name, const char* address, std::vector<ResourceRecord> answers, int rcode = 0) {
  ServerAnswer s;
  s.server = name;
  s.address = ep(address);
  s.outcome = Outcome::answer;
  s.rcode = rcode;
  s.authoritative = true;
  s.answers = std::move(answers);
  return s;
}

/// A plain answer from a resolver, as the engine records it.
Observation resolver_answer(std::vector<ResourceRecord> answers, int rcode = 0) {
  Observation o;
  o.resolver = ep("192.0.2.53");
  o.qname = "example.";
  o.qtype = 15;
  o.task_index = 12;
  o.outcome = Outcome::answer;
  o.rcode = rcode;
  o.flags.rd = o.flags.ra = true;
  o.answers = std::move(answers);
  o.authority = {rr("example.", 2, 86400, "")};
  o.edns = Edns{true, 1232, 0, true};
  o.rtt_ms = 14.5;
  o.time_ms = 1'790'000'000'123;
  o.transport = Transport::udp;
  o.attempts = 2;
  return o;
}

std::vector<std::tuple<std::string, std::uint16_t, std::uint32_t, std::string>> lower_sorted(
    const std::vector<ResourceRecord>& records) {
  std::vector<std::tuple<std::string, std::uint16_t, std::uint32_t, std::string>> out;
  for (const auto& r : records) {
    std::string name = r.name;
    for (char& c : name) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    out.emplace_back(name, r.type, r.ttl, r.rdata);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("answer digests: order, TTLs and owner case do not count", "[answer_sets]") {
  const auto a = mx_answer();
  const std::uint64_t d = answer_set_digest(key, 0, a);
  auto shuffled = std::vector<ResourceRecord>{a[2], a[0], a[1]};
  CHECK(answer_set_digest(key, 0, shuffled) == d);
  auto ttls = a;
  ttls[0].ttl = 1, ttls[1].ttl = 86400, ttls[2].ttl = 0;
  CHECK(answer_set_digest(key, 0, ttls) == d);
  auto upper = a;
  upper[1].name = "ExAmPlE.";
  CHECK(answer_set_digest(key, 0, upper) == d);
  CHECK(record_digest(key, upper[1]) == record_digest(key, a[1]));
  CHECK(record_digest(key, ttls[0]) == record_digest(key, a[0]));
}

TEST_CASE("answer digests: rdata, type, rcode and multiplicity count", "[answer_sets]") {
  const auto a = mx_answer();
  const std::uint64_t d = answer_set_digest(key, 0, a);
  auto rdata = a;
  rdata[0].rdata = "10 mx9.example.";
  CHECK(answer_set_digest(key, 0, rdata) != d);
  auto rdata_case = a;
  rdata_case[0].rdata = "10 MX1.example.";  // only owner names are folded
  CHECK(answer_set_digest(key, 0, rdata_case) != d);
  auto type = a;
  type[0].type = 16;
  CHECK(answer_set_digest(key, 0, type) != d);
  CHECK(answer_set_digest(key, 3, a) != d);
  auto twice = a;
  twice.push_back(a[0]);
  CHECK(answer_set_digest(key, 0, twice) != d);
  auto swapped = a;  // a record twice instead of another once: same count, other multiset
  swapped[1] = a[0];
  CHECK(answer_set_digest(key, 0, swapped) != d);
  CHECK(answer_set_digest(key, 0, {}) != answer_set_digest(key, 3, {}));
  // The fields are length-prefixed: moving bytes from the owner to the rdata changes the digest.
  CHECK(record_digest(key, rr("a.example.", 16, 0, "x")) != record_digest(key, rr("a.example.x", 16, 0, "")));
}

TEST_CASE("answer digests: another key, other digests", "[answer_sets]") {
  const DigestKey other{key.k0, key.k1 ^ 1};
  CHECK(answer_set_digest(key, 0, mx_answer()) != answer_set_digest(other, 0, mx_answer()));
  CHECK(record_digest(key, mx_answer()[0]) != record_digest(other, mx_answer()[0]));
  const DigestKey fresh = random_digest_key(), again = random_digest_key();
  CHECK(fresh != again);
  CHECK(fresh != DigestKey{});
}

TEST_CASE("truth answer sets: a split truth gives each server's answer and the union", "[answer_sets]") {
  Truth truth;
  truth.qname = "www.example.";
  truth.qtype = 1;
  truth.rcode = 0;
  const auto a = rr("www.example.", 1, 60, "192.0.2.1"), b = rr("www.example.", 1, 60, "198.51.100.1");
  truth.servers = {server("ns1.example.", "192.0.2.201", {a}), server("ns2.example.", "192.0.2.202", {b}),
                   server("ns3.example.", "192.0.2.203", {a})};
  truth.answers = {a, b};
  auto sets = truth_answer_sets(truth);
  REQUIRE(sets.size() == 3);
  CHECK(sets[0] == AnswerSet{0, {a}});
  CHECK(sets[1] == AnswerSet{0, {b}});
  CHECK(sets[2] == AnswerSet{0, {a, b}});

  // The same records in another order, other TTLs or owner case are the same set.
  auto shout = b;
  shout.name = "WWW.Example.";
  shout.ttl = 5;
  truth.servers.push_back(server("ns4.example.", "192.0.2.204", {shout, a}));
  CHECK(truth_answer_sets(truth).size() == 3);
}

TEST_CASE("truth answer sets: servers that agree give one set", "[answer_sets]") {
  Truth truth;
  truth.rcode = 0;
  truth.servers = {server("ns1.example.", "192.0.2.201", mx_answer()),
                   server("ns2.example.", "2001:db8::53", {mx_answer()[2], mx_answer()[0], mx_answer()[1]})};
  truth.answers = mx_answer();
  auto sets = truth_answer_sets(truth);
  REQUIRE(sets.size() == 1);
  CHECK(sets[0] == AnswerSet{0, mx_answer()});

  // NXDOMAIN everywhere: one empty NXDOMAIN set.
  Truth gone;
  gone.rcode = 3;
  gone.servers = {server("ns1.example.", "192.0.2.201", {}, 3), server("ns2.example.", "192.0.2.202", {}, 3)};
  CHECK(truth_answer_sets(gone) == std::vector<AnswerSet>{AnswerSet{3, {}}});

  // No truth, no sets.
  Truth none;
  none.servers = {server("ns1.example.", "192.0.2.201", mx_answer())};
  none.rcode = -1;
  CHECK(truth_answer_sets(none).empty());
}

TEST_CASE("truth answer sets: non-authoritative, timed out and failing servers are left out", "[answer_sets]") {
  Truth truth;
  truth.rcode = 0;
  const auto a = rr("www.example.", 1, 60, "192.0.2.1");
  truth.answers = {a};
  auto lame = server("ns2.example.", "192.0.2.202", {rr("www.example.", 1, 60, "203.0.113.9")});
  lame.authoritative = false;
  auto silent = server("ns3.example.", "192.0.2.203", {rr("www.example.", 1, 60, "203.0.113.10")});
  silent.outcome = Outcome::timeout;
  auto failing = server("ns4.example.", "192.0.2.204", {rr("www.example.", 1, 60, "203.0.113.11")}, 2);  // SERVFAIL
  auto refused = server("ns5.example.", "192.0.2.205", {}, 5);
  truth.servers = {lame, server("ns1.example.", "192.0.2.201", {a}), silent, failing, refused};
  CHECK(truth_answer_sets(truth) == std::vector<AnswerSet>{AnswerSet{0, {a}}});
}

TEST_CASE("compact results: match then rebuild gives the observation back", "[answer_sets]") {
  auto set = AnswerSet{0, mx_answer()};
  const std::vector<std::uint64_t> digests = {answer_set_digest(key, 0, {rr("example.", 15, 1, "0 .")}),
                                              answer_set_digest(key, set.rcode, set.records)};
  // The resolver's records in another order, with their own TTLs and a 0x20-mixed owner.
  auto seen = mx_answer();
  std::swap(seen[0], seen[2]);
  seen[0].ttl = 17, seen[1].ttl = 299, seen[2].ttl = 3;
  seen[1].name = "eXample.";
  Observation o = resolver_answer(seen);

  auto matched = match_answer(o, key, digests);
  REQUIRE(matched.has_value());
  CHECK(matched->task_index == 12);
  CHECK(matched->answer_set == 1);
  CHECK(matched->ttls.size() == 3);
  CHECK(matched->flags == o.flags);
  CHECK(matched->edns == o.edns);
  CHECK(matched->authority == o.authority);

  WorkTask task{12, "192.0.2.53", "example.", 15};
  Observation back = rebuild_observation(*matched, task, o.resolver, set, key);
  CHECK(back.resolver == o.resolver);
  CHECK(back.qname == o.qname);
  CHECK(back.qtype == o.qtype);
  CHECK(back.task_index == o.task_index);
  CHECK(back.outcome == o.outcome);
  CHECK(back.error == o.error);
  CHECK(back.rcode == o.rcode);
  CHECK(back.flags == o.flags);
  CHECK(lower_sorted(back.answers) == lower_sorted(o.answers));  // each TTL with its record
  CHECK(back.rrsigs.empty());
  CHECK(back.authority == o.authority);
  CHECK(back.edns == o.edns);
  CHECK(back.rtt_ms == o.rtt_ms);
  CHECK(back.time_ms == o.time_ms);
  CHECK(back.transport == o.transport);
  CHECK(back.attempts == o.attempts);
  CHECK(back.unsolicited == 0);
  CHECK(back.extra_responses.empty());
  CHECK(back.message.empty());

  // The rebuilt records come in record-digest order, whatever order the set holds them in.
  AnswerSet reordered{0, {set.records[1], set.records[2], set.records[0]}};
  Observation again = rebuild_observation(*matched, task, o.resolver, reordered, key);
  CHECK(again.answers == back.answers);
  for (std::size_t i = 1; i < back.answers.size(); ++i)
    CHECK(record_digest(key, back.answers[i - 1]) <= record_digest(key, back.answers[i]));
  // The set ordered once (as a store reading many results does) rebuilds the same observation.
  OrderedAnswerSet ordered = order_answer_set(reordered, key);
  CHECK(ordered.rcode == 0);
  Observation from_ordered = rebuild_observation(*matched, task.qname, task.qtype, o.resolver, ordered);
  CHECK(from_ordered.answers == back.answers);
  CHECK(from_ordered.qname == back.qname);
  CHECK(from_ordered.time_ms == back.time_ms);
  CHECK_THROWS_AS(rebuild_observation(*matched, task.qname, task.qtype, o.resolver, OrderedAnswerSet{0, {}}),
                  std::invalid_argument);

  // An NXDOMAIN with no records matches its set as well.
  Observation nx = resolver_answer({}, 3);
  auto nx_matched = match_answer(nx, key, {answer_set_digest(key, 3, {})});
  REQUIRE(nx_matched.has_value());
  CHECK(nx_matched->ttls.empty());
  CHECK(rebuild_observation(*nx_matched, task, nx.resolver, AnswerSet{3, {}}, key).rcode == 3);
}

TEST_CASE("compact results: only plain answers match", "[answer_sets]") {
  const std::vector<std::uint64_t> digests = {answer_set_digest(key, 0, mx_answer())};
  REQUIRE(match_answer(resolver_answer(mx_answer()), key, digests).has_value());

  Observation signed_answer = resolver_answer(mx_answer());
  signed_answer.rrsigs = {rr("example.", 46, 300, "MX 13 1 300 20261231000000 20261101000000 1 example. abc=")};
  CHECK_FALSE(match_answer(signed_answer, key, digests));
  Observation extra = resolver_answer(mx_answer());
  extra.extra_responses = {ExtraResponse{0, {rr("example.", 15, 300, "10 evil.example.")}, 2.0}};
  CHECK_FALSE(match_answer(extra, key, digests));
  Observation unsolicited = resolver_answer(mx_answer());
  unsolicited.unsolicited = 1;
  CHECK_FALSE(match_answer(unsolicited, key, digests));
  Observation timeout = resolver_answer(mx_answer());
  timeout.outcome = Outcome::timeout;
  CHECK_FALSE(match_answer(timeout, key, digests));
  Observation error = resolver_answer(mx_answer());
  error.error = "truncated to the protocol's limits";
  CHECK_FALSE(match_answer(error, key, digests));
  Observation kept = resolver_answer(mx_answer());
  kept.message = {0x12, 0x34};
  CHECK_FALSE(match_answer(kept, key, digests));
  Observation no_rcode = resolver_answer(mx_answer(), -1);
  CHECK_FALSE(match_answer(no_rcode, key, {answer_set_digest(key, -1, mx_answer())}));
  Observation far = resolver_answer(mx_answer());
  far.task_index = std::uint64_t{1} << 32;
  CHECK_FALSE(match_answer(far, key, digests));
  CHECK_FALSE(match_answer(resolver_answer(mx_answer()), key, {}));
}

TEST_CASE("compact results: a forged or different answer does not match", "[answer_sets]") {
  const std::vector<std::uint64_t> digests = {answer_set_digest(key, 0, mx_answer())};
  auto forged = mx_answer();
  forged[0].rdata = "10 mx.attacker.example.";
  CHECK_FALSE(match_answer(resolver_answer(forged), key, digests));
  CHECK_FALSE(match_answer(resolver_answer(mx_answer(), 3), key, digests));  // same records, other rcode
  auto fewer = mx_answer();
  fewer.pop_back();
  CHECK_FALSE(match_answer(resolver_answer(fewer), key, digests));
  // Digests under another key (a resolver guessing) do not match either.
  const DigestKey guess{1, 2};
  CHECK_FALSE(match_answer(resolver_answer(mx_answer()), guess, digests));
}

TEST_CASE("compact results: TTLs that do not fit the set are refused", "[answer_sets]") {
  MatchedResult matched;
  matched.task_index = 1;
  matched.ttls = {300, 300};
  WorkTask task{1, "192.0.2.53", "example.", 15};
  CHECK_THROWS_AS(rebuild_observation(matched, task, ep("192.0.2.53"), AnswerSet{0, mx_answer()}, key),
                  std::invalid_argument);
  matched.ttls = {1, 2, 3, 4};
  CHECK_THROWS_AS(rebuild_observation(matched, task, ep("192.0.2.53"), AnswerSet{0, mx_answer()}, key),
                  std::invalid_argument);
  matched.ttls = {1, 2, 3};
  CHECK(rebuild_observation(matched, task, ep("192.0.2.53"), AnswerSet{0, mx_answer()}, key).answers.size() == 3);
}
