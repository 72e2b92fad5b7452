// The RRSIGs a resolver passes on, checked with the zone's validated keys: real keys and
// signatures made in-process (dnssec::ZoneSigner), simulated time.
#include <catch2/catch.hpp>

#include <sstream>

#include "coordinator/check/signature_check.h"
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
};

}  // namespace

TEST_CASE("signature check: the zone's own signature over the answer is secure", "[check]") {
  SignedZone z;
  Truth truth = test::truth_of("mx.example.", 1, {}, Status::secure);
  truth.zone = "example.";
  // The resolver's TTL has counted down (250); the signature covers the original TTL (300).
  auto verdict = check_answer_signatures(z.validator, z.answer("192.0.2.10", "192.0.2.10"), truth, now);
  REQUIRE(verdict);
  CHECK(verdict->status == Status::secure);
}

TEST_CASE("signature check: a forged record under a copied signature is bogus", "[check]") {
  SignedZone z;
  Truth truth = test::truth_of("mx.example.", 1, {}, Status::secure);
  truth.zone = "example.";
  auto verdict = check_answer_signatures(z.validator, z.answer("203.0.113.66", "192.0.2.10"), truth, now);
  REQUIRE(verdict);
  CHECK(verdict->status == Status::bogus);
}

TEST_CASE("signature check: no RRSIG for the asked type means no check", "[check]") {
  SignedZone z;
  Truth truth = test::truth_of("mx.example.", 1, {}, Status::secure);
  truth.zone = "example.";
  Observation unsigned_answer =
      test::answer_of("127.0.0.1", "mx.example.", 1, {record_of("mx.example. 300 IN A 192.0.2.10")});
  CHECK_FALSE(check_answer_signatures(z.validator, unsigned_answer, truth, now));
  Observation o = z.answer("192.0.2.10", "192.0.2.10");
  o.qtype = 28;  // asked AAAA: the A RRset and its RRSIG do not answer it
  CHECK_FALSE(check_answer_signatures(z.validator, o, truth, now));
}

TEST_CASE("signature check: a signed RRset of another name does not vouch for the answer", "[check]") {
  SignedZone z;
  Truth truth = test::truth_of("mx.example.", 1, {}, Status::secure);
  truth.zone = "example.";
  // A forged mx.example. A beside a replayed, validly signed www.example. A.
  RrList www = records_from_text({"www.example. 300 IN A 192.0.2.80"});
  RrList sigs = z.zone.sign(www.get(), now - 3600, now + 86400);
  Observation o = test::answer_of("127.0.0.1", "mx.example.", 1,
                                  {record_of("mx.example. 300 IN A 203.0.113.66"), record_of("www.example. 300 IN A 192.0.2.80")});
  o.rrsigs.push_back(record_of(rr_text(ldns_rr_list_rr(sigs.get(), 0))));
  auto verdict = check_answer_signatures(z.validator, o, truth, now);
  REQUIRE(verdict);
  CHECK(verdict->status == Status::bogus);
}

TEST_CASE("signature check: the RRset at the end of the CNAME chain is the one checked", "[check]") {
  SignedZone z;
  Truth truth = test::truth_of("mail.example.", 1, {}, Status::secure);
  truth.zone = "example.";
  RrList mx = records_from_text({"mx.example. 300 IN A 192.0.2.10"});
  RrList sigs = z.zone.sign(mx.get(), now - 3600, now + 86400);
  Observation o = test::answer_of("127.0.0.1", "mail.example.", 1,
                                  {record_of("mail.example. 300 IN A 192.0.2.10")});
  o.answers = {ResourceRecord{"mail.example.", 5, 300, "mx.example."}, record_of("mx.example. 300 IN A 192.0.2.10")};
  o.rrsigs.push_back(record_of(rr_text(ldns_rr_list_rr(sigs.get(), 0))));
  CHECK(answer_owner(o) == "mx.example.");
  auto verdict = check_answer_signatures(z.validator, o, truth, now);
  REQUIRE(verdict);
  CHECK(verdict->status == Status::secure);
}
