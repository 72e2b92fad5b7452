// KeyTrap (CVE-2023-50387): a validly signed DNSKEY RRset full of keys that share one key tag,
// and an RRset with dozens of RRSIGs that all claim that tag. Unbounded, validation would try
// every key on every RRSIG (60 x 15 = 900 signature checks here); the validator stops after
// max_signature_checks_per_rrset calls into ldns and says why. The counter is asserted, not time.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "coordinator/truth/dnssec_signer.h"
#include "coordinator/truth/dnssec_validator.h"

using namespace mxsentry::dnssec;

namespace {

constexpr std::uint32_t kNow = 1'700'000'000;
constexpr std::uint32_t kInception = kNow - 86'400;
constexpr std::uint32_t kExpiration = kNow + 30 * 86'400;

/// DNSKEYs with the same flags, protocol, algorithm and key tag as `key` but other key bytes:
/// +i on one even-offset byte and -i on another leave the RFC 4034 checksum unchanged.
std::vector<Rr> same_tag_keys(const ldns_rr* key, int count) {
  const ldns_rdf* pub = ldns_rr_rdf(key, 3);
  const std::uint8_t* bytes = ldns_rdf_data(pub);
  std::size_t up = ldns_rdf_size(pub), down = ldns_rdf_size(pub);
  for (std::size_t j = 0; j < ldns_rdf_size(pub); j += 2) {
    if (up == ldns_rdf_size(pub) && bytes[j] <= 255 - count) up = j;
    else if (down == ldns_rdf_size(pub) && bytes[j] >= count) down = j;
  }
  REQUIRE(up < ldns_rdf_size(pub));
  REQUIRE(down < ldns_rdf_size(pub));
  std::vector<Rr> keys;
  for (int i = 1; i <= count; ++i) {
    Rr copy(ldns_rr_clone(key));
    std::uint8_t* data = ldns_rdf_data(ldns_rr_rdf(copy.get(), 3));
    data[up] = static_cast<std::uint8_t>(data[up] + i);
    data[down] = static_cast<std::uint8_t>(data[down] - i);
    REQUIRE(ldns_calc_keytag(copy.get()) == ldns_calc_keytag(key));
    keys.push_back(std::move(copy));
  }
  return keys;
}

/// `count` RRSIGs like `genuine`, each with a different byte of the signature flipped.
RrList corrupted_copies(const ldns_rr* genuine, int count) {
  RrList out = new_list();
  for (int i = 0; i < count; ++i) {
    Rr sig(ldns_rr_clone(genuine));
    ldns_rdf* value = ldns_rr_rdf(sig.get(), 8);
    ldns_rdf_data(value)[static_cast<std::size_t>(i) % ldns_rdf_size(value)] ^= static_cast<std::uint8_t>(0x5a + i);
    ldns_rr_list_push_rr(out.get(), sig.release());
  }
  return out;
}

// root -> example. -> trap.example., whose DNSKEY RRset holds 20 extra keys with the ZSK's tag.
struct Trap {
  ZoneSigner root{"."};
  ZoneSigner example{"example."};
  ZoneSigner trap{"trap.example."};
  Validator v;

  explicit Trap(Limits limits = {}) : v(limits) {
    for (const Rr& k : same_tag_keys(trap.dnskey(ZoneSigner::Key::zsk), 20)) trap.add_dnskey(k.get());
    v.add_trust_anchors(rr_text(ldns_rr_list_rr(root.ds().get(), 0)), "root.ds");
    accept_keys(root);
    delegate(root, example);
    accept_keys(example);
    delegate(example, trap);
    accept_keys(trap);
  }
  void accept_keys(ZoneSigner& z) {
    RrList keys = z.dnskeys(), sigs = z.sign_dnskeys(kInception, kExpiration);
    REQUIRE(v.accept_dnskeys(z.zone(), keys.get(), sigs.get(), kNow).status == Status::secure);
  }
  void delegate(ZoneSigner& parent, ZoneSigner& child) {
    RrList ds = child.ds(), sigs = parent.sign(ds.get(), kInception, kExpiration);
    REQUIRE(v.accept_ds(child.zone(), parent.zone(), ds.get(), sigs.get(), kNow).status == Status::secure);
  }
};

}  // namespace

TEST_CASE("KeyTrap: many same-tag keys and RRSIGs stop at the signature check limit", "[dnssec][keytrap]") {
  Trap t;
  const std::uint16_t tag = t.trap.tag(ZoneSigner::Key::zsk);
  RrList kept = t.v.zone_keys("trap.example.");
  REQUIRE(ldns_rr_list_rr_count(kept.get()) == t.v.limits().max_keys_per_zone);  // 22 published, 16 kept
  int same_tag = 0;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(kept.get()); ++i)
    same_tag += ldns_calc_keytag(ldns_rr_list_rr(kept.get(), i)) == tag;
  REQUIRE(same_tag == 15);

  RrList rrset = records_from_text({"www.trap.example. 300 IN A 192.0.2.1"});
  RrList genuine = t.trap.sign(rrset.get(), kInception, kExpiration);
  RrList bad = corrupted_copies(ldns_rr_list_rr(genuine.get(), 0), 60);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(bad.get()); ++i)
    REQUIRE(ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(bad.get(), i))) == tag);

  SECTION("60 bad RRSIGs: bogus after exactly the limit") {
    const std::uint64_t before = t.v.signature_checks();
    const Verdict v = t.v.verify_rrset("trap.example.", rrset.get(), bad.get(), kNow);
    CHECK(v.status == Status::bogus);
    CHECK_THAT(v.reason, Catch::Contains("too many signature checks"));
    CHECK(t.v.signature_checks() - before == t.v.limits().max_signature_checks_per_rrset);
  }
  SECTION("the genuine RRSIG after the bad ones is never reached") {
    push_copy(bad.get(), ldns_rr_list_rr(genuine.get(), 0));
    const std::uint64_t before = t.v.signature_checks();
    CHECK(t.v.verify_rrset("trap.example.", rrset.get(), bad.get(), kNow).status == Status::bogus);
    CHECK(t.v.signature_checks() - before == 16);
  }
  SECTION("the genuine RRSIG first: secure at the first check") {
    RrList sigs = new_list();
    push_copy(sigs.get(), ldns_rr_list_rr(genuine.get(), 0));
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(bad.get()); ++i) push_copy(sigs.get(), ldns_rr_list_rr(bad.get(), i));
    const std::uint64_t before = t.v.signature_checks();
    CHECK(t.v.verify_rrset("trap.example.", rrset.get(), sigs.get(), kNow).status == Status::secure);
    CHECK(t.v.signature_checks() - before == 1);
  }
  SECTION("the same attack on a denial proof") {
    RrList nsec = records_from_text({"a.trap.example. 3600 IN NSEC c.trap.example. A RRSIG NSEC"});
    RrList nsec_sig = t.trap.sign(nsec.get(), kInception, kExpiration);
    RrList nsec_bad = corrupted_copies(ldns_rr_list_rr(nsec_sig.get(), 0), 40);
    const std::uint64_t before = t.v.signature_checks();
    const Verdict v = t.v.verify_denial("trap.example.", "b.trap.example.", LDNS_RR_TYPE_A, true, nsec.get(),
                                        nsec_bad.get(), kNow);
    CHECK(v.status == Status::bogus);
    CHECK_THAT(v.reason, Catch::Contains("too many signature checks"));
    CHECK(t.v.signature_checks() - before == 16);
  }
}

TEST_CASE("KeyTrap: the limit is the configured one", "[dnssec][keytrap]") {
  Limits limits;
  limits.max_signature_checks_per_rrset = 4;
  limits.max_keys_per_zone = 8;
  Trap t(limits);
  CHECK(ldns_rr_list_rr_count(t.v.zone_keys("trap.example.").get()) == 8);
  RrList rrset = records_from_text({"www.trap.example. 300 IN A 192.0.2.1"});
  RrList genuine = t.trap.sign(rrset.get(), kInception, kExpiration);
  RrList bad = corrupted_copies(ldns_rr_list_rr(genuine.get(), 0), 50);
  const std::uint64_t before = t.v.signature_checks();
  const Verdict v = t.v.verify_rrset("trap.example.", rrset.get(), bad.get(), kNow);
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains("too many signature checks"));
  CHECK(t.v.signature_checks() - before == 4);
}
