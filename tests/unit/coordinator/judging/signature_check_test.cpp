// The RRSIGs a resolver passes on, checked with the zone's validated keys: real keys and
// signatures made in-process (dnssec::ZoneSigner), simulated time. Signatures are checked at
// the time the resolver answered, never at the time of the judging.
#include <catch2/catch.hpp>

#include <ctime>
#include <sstream>

#include "coordinator/judging/judge.h"
#include "coordinator/judging/signature_check.h"
#include "coordinator/truth/dnssec_signer.h"
#include "tests/unit/coordinator/analysis/analysis_fixtures.h"

using namespace mxsentry;
using namespace mxsentry::dnssec;

namespace {

constexpr std::uint32_t now = 1'700'000'000;

// "owner ttl IN TYPE rdata..." as the prober records it.
ResourceRecord record_of(const std::string& text) {
  std::istringstream fields(text);
  ResourceRecord r;
  std::string klass, type;
  fields >> r.name >> r.ttl >> klass >> type;
  r.type = type == "RRSIG" ? 46 : type == "A" ? 1 : 28;
  std::getline(fields >> std::ws, r.rdata);
  return r;
}

struct SignedZone {
  ZoneSigner zone{"example."};
  Validator validator;
  SignedZone() {
    validator.add_trust_anchors(rr_text(zone.dnskey(ZoneSigner::Key::ksk)), "anchor");
    RrList keys = zone.dnskeys();
    RrList sigs = zone.sign_dnskeys(now - 3600, now + 86400);
    REQUIRE(validator.accept_dnskeys("example.", keys.get(), sigs.get(), now).status == Status::secure);
  }
  // An answer for mx.example. A with the zone's signature over `signed_address`.
  Observation answer(const std::string& address, const std::string& signed_address) {
    RrList rrset = records_from_text({"mx.example. 300 IN A " + signed_address});
    RrList sigs = zone.sign(rrset.get(), now - 3600, now + 86400);
    Observation o = test::answer_of("127.0.0.1", "mx.example.", 1, {record_of("mx.example. 250 IN A " + address)});
    o.rrsigs.push_back(record_of(rr_text(ldns_rr_list_rr(sigs.get(), 0))));
    return o;
  }
  // The check of an answer against the secure truth of its question.
  std::optional<dnssec::Verdict> check(const Observation& o) {
    return check_answer_signatures(validator, o, test::truth_of(o.qname, o.qtype, {}, Status::secure), now);
  }
  Status status_of(const Observation& o) {
    auto verdict = check(o);
    REQUIRE(verdict);
    return verdict->status;
  }
};

}  // namespace

TEST_CASE("signature check: the zone's own signature over the answer is secure", "[judging]") {
  SignedZone z;
  // The resolver's TTL has counted down (250); the signature covers the original TTL (300).
  CHECK(z.status_of(z.answer("192.0.2.10", "192.0.2.10")) == Status::secure);
}

TEST_CASE("signature check: a forged record under a copied signature is bogus", "[judging]") {
  SignedZone z;
  CHECK(z.status_of(z.answer("203.0.113.66", "192.0.2.10")) == Status::bogus);
}

TEST_CASE("signature check: no RRSIG for the asked type means no check", "[judging]") {
  SignedZone z;
  Observation unsigned_answer =
      test::answer_of("127.0.0.1", "mx.example.", 1, {record_of("mx.example. 300 IN A 192.0.2.10")});
  CHECK_FALSE(z.check(unsigned_answer));
  Observation o = z.answer("192.0.2.10", "192.0.2.10");
  o.qtype = 28;  // asked AAAA: the A RRset and its RRSIG do not answer it
  CHECK_FALSE(z.check(o));
}

TEST_CASE("signature check: a signed RRset of another name does not vouch for the answer", "[judging]") {
  SignedZone z;
  // A forged mx.example. A beside a replayed, validly signed www.example. A.
  RrList www = records_from_text({"www.example. 300 IN A 192.0.2.80"});
  RrList sigs = z.zone.sign(www.get(), now - 3600, now + 86400);
  Observation o = test::answer_of("127.0.0.1", "mx.example.", 1,
                                  {record_of("mx.example. 300 IN A 203.0.113.66"), record_of("www.example. 300 IN A 192.0.2.80")});
  o.rrsigs.push_back(record_of(rr_text(ldns_rr_list_rr(sigs.get(), 0))));
  CHECK(z.status_of(o) == Status::bogus);
}

TEST_CASE("signature check: the RRset at the end of the CNAME chain is the one checked", "[judging]") {
  SignedZone z;
  RrList mx = records_from_text({"mx.example. 300 IN A 192.0.2.10"});
  RrList sigs = z.zone.sign(mx.get(), now - 3600, now + 86400);
  Observation o = test::answer_of("127.0.0.1", "mail.example.", 1,
                                  {record_of("mail.example. 300 IN A 192.0.2.10")});
  o.answers = {ResourceRecord{"mail.example.", 5, 300, "mx.example."}, record_of("mx.example. 300 IN A 192.0.2.10")};
  o.rrsigs.push_back(record_of(rr_text(ldns_rr_list_rr(sigs.get(), 0))));
  CHECK(answer_owner(o) == "mx.example.");
  CHECK(z.status_of(o) == Status::secure);
}

TEST_CASE("signature check: the time is the observation's, in seconds", "[judging]") {
  Observation o;
  o.time_ms = std::int64_t{now} * 1000 + 999;
  CHECK(signature_time(o) == now);
}

TEST_CASE("signature check: judging after the signature expired does not make an answer forged", "[judging]") {
  SignedZone z;  // its signatures are valid from now - 1 h to now + 1 day
  REQUIRE(std::time(nullptr) > std::time_t{now} + 86400);  // the judging below runs after they expired
  AnalysisConfig config;
  Truth truth = test::truth_of("mx.example.", 1, {test::rr("mx.example.", 1, 300, "192.0.2.10")}, Status::secure);
  std::map<Question, Truth> truths{{Question{"mx.example.", 1}, truth}};
  Judge judge(JudgingInputs{&config, &truths, &z.validator, nullptr, nullptr, nullptr});
  // A record the truth lacks, under the zone's valid signature (a rotation): signed is genuine.
  Observation in_time = z.answer("203.0.113.66", "203.0.113.66");
  in_time.time_ms = std::int64_t{now} * 1000;
  Observation too_late = in_time;  // the resolver passed the signature on after it expired
  too_late.time_ms = (std::int64_t{now} + 2 * 86400) * 1000;
  judge.add("local", in_time);
  judge.add("local", too_late);
  std::vector<mxsentry::Verdict> verdicts = judge.verdicts();
  REQUIRE(verdicts.size() == 2);
  CHECK(verdicts[0].has(Evidence::dnssec_valid));
  CHECK_FALSE(verdicts[0].has(Evidence::dnssec_bogus));
  CHECK_FALSE(verdicts[0].flagged());
  std::string codes;
  for (Evidence e : verdicts[1].evidence) codes += std::string(to_string(e)) + " ";
  INFO("evidence of the late answer: " << codes << "-> " << to_string(verdicts[1].verdict));
  CHECK(verdicts[1].has(Evidence::dnssec_bogus));
  CHECK(verdicts[1].flagged());
}
