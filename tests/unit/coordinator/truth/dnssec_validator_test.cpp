// dnssec::Validator: the chain of trust root -> example. -> sub.example. built from real keys
// and signatures made in-process, RRsets secure and bogus, validity periods in simulated time,
// presentation-format input, and trust anchors (text, files, Debian's root key).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "coordinator/truth/dnssec_signer.h"
#include "coordinator/truth/dnssec_validator.h"

using namespace mxsentry::dnssec;

namespace {

constexpr std::uint32_t kNow = 1'700'000'000;
constexpr std::uint32_t kDay = 86'400;
constexpr std::uint32_t kInception = kNow - kDay;
constexpr std::uint32_t kExpiration = kNow + 30 * kDay;

std::vector<std::string> texts(const ldns_rr_list* list) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) out.push_back(rr_text(ldns_rr_list_rr(list, i)));
  return out;
}

// root -> example. -> sub.example., each with its own KSK and ZSK.
struct Chain {
  ZoneSigner root{"."};
  ZoneSigner example{"example."};
  ZoneSigner sub{"sub.example."};
  Validator v;

  void anchor_root_ds() { v.add_trust_anchors(rr_text(ldns_rr_list_rr(root.ds().get(), 0)), "root.ds"); }
  void anchor_root_dnskey() { v.add_trust_anchors(rr_text(root.dnskey(ZoneSigner::Key::ksk)), "root.key"); }

  Verdict keys(ZoneSigner& zone, std::uint32_t now = kNow) {
    RrList dnskeys = zone.dnskeys();
    RrList sigs = zone.sign_dnskeys(kInception, kExpiration);
    return v.accept_dnskeys(zone.zone(), dnskeys.get(), sigs.get(), now);
  }
  Verdict delegate(ZoneSigner& parent, ZoneSigner& child) {
    RrList ds = child.ds();
    RrList sigs = parent.sign(ds.get(), kInception, kExpiration);
    return v.accept_ds(child.zone(), parent.zone(), ds.get(), sigs.get(), kNow);
  }
  void build() {
    anchor_root_ds();
    REQUIRE(keys(root).status == Status::secure);
    REQUIRE(delegate(root, example).status == Status::secure);
    REQUIRE(keys(example).status == Status::secure);
    REQUIRE(delegate(example, sub).status == Status::secure);
    REQUIRE(keys(sub).status == Status::secure);
  }
};

}  // namespace

TEST_CASE("Status names", "[dnssec]") {
  CHECK(std::string(to_string(Status::secure)) == "secure");
  CHECK(std::string(to_string(Status::insecure)) == "insecure");
  CHECK(std::string(to_string(Status::bogus)) == "bogus");
  CHECK(std::string(to_string(Status::indeterminate)) == "indeterminate");
}

TEST_CASE("A DS trust anchor leads a secure chain root -> example. -> sub.example.", "[dnssec]") {
  Chain c;
  c.anchor_root_ds();
  CHECK(c.v.has_trust_anchor("."));
  CHECK(c.v.zone_status(".") == Status::indeterminate);  // an anchor alone is not a validated key set
  c.build();
  CHECK(c.v.zone_status(".") == Status::secure);
  CHECK(c.v.zone_status("example.") == Status::secure);
  CHECK(c.v.zone_status("sub.example.") == Status::secure);
  CHECK(ldns_rr_list_rr_count(c.v.zone_keys("sub.example.").get()) == 2);
}

TEST_CASE("A DNSKEY trust anchor validates the root's DNSKEY RRset", "[dnssec]") {
  Chain c;
  c.anchor_root_dnskey();
  CHECK(c.v.has_trust_anchor("."));
  CHECK(c.keys(c.root).status == Status::secure);
  CHECK(c.delegate(c.root, c.example).status == Status::secure);
  CHECK(c.keys(c.example).status == Status::secure);
}

TEST_CASE("Zone names ignore case and the trailing dot", "[dnssec]") {
  Chain c;
  c.build();
  CHECK(c.v.zone_status("EXAMPLE") == Status::secure);
  CHECK(c.v.zone_status("Sub.Example.") == Status::secure);
  RrList rrset = records_from_text({"WWW.Sub.Example. 300 IN A 192.0.2.1"});
  RrList sigs = c.sub.sign(rrset.get(), kInception, kExpiration);
  CHECK(c.v.verify_rrset("SUB.example", rrset.get(), sigs.get(), kNow).status == Status::secure);
}

TEST_CASE("An RRset signed by the zone is secure, one record changed is bogus", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"mx.sub.example. 300 IN A 192.0.2.1", "mx.sub.example. 300 IN A 192.0.2.2"});
  RrList sigs = c.sub.sign(rrset.get(), kInception, kExpiration);

  const Verdict good = c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), kNow);
  CHECK(good.status == Status::secure);
  CHECK_FALSE(good.wildcard_expanded);

  RrList forged = records_from_text({"mx.sub.example. 300 IN A 192.0.2.1", "mx.sub.example. 300 IN A 203.0.113.66"});
  const Verdict bad = c.v.verify_rrset("sub.example.", forged.get(), sigs.get(), kNow);
  CHECK(bad.status == Status::bogus);
  CHECK_THAT(bad.reason, Catch::Contains("bad signature"));

  // The caller's lists are left as they were (ldns canonicalises the RRSIG it is given).
  CHECK(ldns_rr_list_rr_count(sigs.get()) == 1);
  CHECK(c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), kNow).status == Status::secure);
}

TEST_CASE("Records that went through wire format verify as well", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"Mx.Sub.Example. 300 IN MX 10 Mail.Sub.Example."});
  RrList sigs = c.sub.sign(rrset.get(), kInception, kExpiration);
  // Through a response packet, as the iterator gets them (owner and rdata case kept as sent).
  ldns_pkt* pkt = ldns_pkt_new();
  REQUIRE(pkt);
  for (const ldns_rr_list* list : {rrset.get(), sigs.get()}) {
    ldns_rr_list* copy = ldns_rr_list_clone(list);
    ldns_pkt_push_rr_list(pkt, LDNS_SECTION_ANSWER, copy);  // takes the records, not the list
    ldns_rr_list_free(copy);
  }
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  REQUIRE(ldns_pkt2wire(&wire, pkt, &size) == LDNS_STATUS_OK);
  ldns_pkt_free(pkt);
  ldns_pkt* parsed = nullptr;
  const ldns_status status = ldns_wire2pkt(&parsed, wire, size);
  std::free(wire);
  REQUIRE(status == LDNS_STATUS_OK);
  RrList answer_rrset = new_list(), answer_sigs = new_list();
  const ldns_rr_list* answer = ldns_pkt_answer(parsed);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(answer, i);
    push_copy(ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG ? answer_sigs.get() : answer_rrset.get(), rr);
  }
  ldns_pkt_free(parsed);
  REQUIRE(ldns_rr_list_rr_count(answer_sigs.get()) == 1);
  CHECK(c.v.verify_rrset("sub.example.", answer_rrset.get(), answer_sigs.get(), kNow).status == Status::secure);
}

TEST_CASE("A secure zone's RRset without RRSIG is bogus", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"mx.sub.example. 300 IN A 192.0.2.1"});
  RrList none = new_list();
  const Verdict v = c.v.verify_rrset("sub.example.", rrset.get(), none.get(), kNow);
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains("no RRSIG"));
  CHECK(c.v.verify_rrset("sub.example.", rrset.get(), nullptr, kNow).status == Status::bogus);

  // An RRSIG over another RRset does not count either.
  RrList other = records_from_text({"other.sub.example. 300 IN A 192.0.2.1"});
  RrList other_sigs = c.sub.sign(other.get(), kInception, kExpiration);
  CHECK(c.v.verify_rrset("sub.example.", rrset.get(), other_sigs.get(), kNow).status == Status::bogus);
}

TEST_CASE("Signatures expired or not yet valid at the check time are bogus", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"mx.sub.example. 300 IN A 192.0.2.1"});

  RrList expired = c.sub.sign(rrset.get(), kNow - 10 * kDay, kNow - kDay);
  const Verdict e = c.v.verify_rrset("sub.example.", rrset.get(), expired.get(), kNow);
  CHECK(e.status == Status::bogus);
  CHECK_THAT(e.reason, Catch::Contains("expired"));

  RrList future = c.sub.sign(rrset.get(), kNow + kDay, kNow + 10 * kDay);
  const Verdict f = c.v.verify_rrset("sub.example.", rrset.get(), future.get(), kNow);
  CHECK(f.status == Status::bogus);
  CHECK_THAT(f.reason, Catch::Contains("not yet valid"));

  // Neither costs a signature check: the validity period is looked at first.
  const std::uint64_t before = c.v.signature_checks();
  c.v.verify_rrset("sub.example.", rrset.get(), expired.get(), kNow);
  CHECK(c.v.signature_checks() == before);
}

TEST_CASE("The same signature is valid at T1 and expired at T2", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"mx.sub.example. 300 IN MX 10 mail.sub.example."});
  const std::uint32_t t1 = kNow, t2 = kNow + 2 * kDay;
  RrList sigs = c.sub.sign(rrset.get(), kNow - kDay, kNow + kDay);  // expires between the two checks
  CHECK(c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), t1).status == Status::secure);
  const Verdict later = c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), t2);
  CHECK(later.status == Status::bogus);
  CHECK_THAT(later.reason, Catch::Contains("expired"));
  // The expiration instant itself is still valid (RFC 4034 3.1.5), one second later is not.
  CHECK(c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), kNow + kDay).status == Status::secure);
  CHECK(c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), kNow + kDay + 1).status == Status::bogus);
}

TEST_CASE("A DS that matches no DNSKEY makes the child bogus", "[dnssec]") {
  Chain c;
  c.anchor_root_ds();
  REQUIRE(c.keys(c.root).status == Status::secure);
  ZoneSigner impostor("example.");  // same name, other keys: the parent's DS is for these
  RrList ds = impostor.ds();
  RrList ds_sigs = c.root.sign(ds.get(), kInception, kExpiration);
  REQUIRE(c.v.accept_ds("example.", ".", ds.get(), ds_sigs.get(), kNow).status == Status::secure);
  CHECK(c.v.zone_status("example.") == Status::indeterminate);

  const Verdict v = c.keys(c.example);
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains("DS matches no DNSKEY"));
  CHECK(c.v.zone_status("example.") == Status::bogus);

  // And what the bogus zone signs is bogus too.
  RrList rrset = records_from_text({"www.example. 300 IN A 192.0.2.1"});
  RrList sigs = c.example.sign(rrset.get(), kInception, kExpiration);
  CHECK(c.v.verify_rrset("example.", rrset.get(), sigs.get(), kNow).status == Status::bogus);
}

TEST_CASE("A DNSKEY RRset not signed by the DS key is bogus", "[dnssec]") {
  Chain c;
  c.anchor_root_ds();
  REQUIRE(c.keys(c.root).status == Status::secure);
  REQUIRE(c.delegate(c.root, c.example).status == Status::secure);
  RrList dnskeys = c.example.dnskeys();

  SECTION("signed by the ZSK only") {
    RrList sigs = c.example.sign(dnskeys.get(), kInception, kExpiration, ZoneSigner::Key::zsk);
    const Verdict v = c.v.accept_dnskeys("example.", dnskeys.get(), sigs.get(), kNow);
    CHECK(v.status == Status::bogus);
    CHECK_THAT(v.reason, Catch::Contains("not signed by a trusted key"));
  }
  SECTION("not signed at all") {
    CHECK(c.v.accept_dnskeys("example.", dnskeys.get(), nullptr, kNow).status == Status::bogus);
  }
  SECTION("signed by the KSK, then a key added") {
    RrList sigs = c.example.sign_dnskeys(kInception, kExpiration);
    ZoneSigner other("example.");
    ldns_rr_list_push_rr(dnskeys.get(), ldns_rr_clone(other.dnskey(ZoneSigner::Key::zsk)));
    CHECK(c.v.accept_dnskeys("example.", dnskeys.get(), sigs.get(), kNow).status == Status::bogus);
  }
  CHECK(c.v.zone_status("example.") == Status::bogus);
}

TEST_CASE("A DS RRset not signed by the parent is bogus", "[dnssec]") {
  Chain c;
  c.anchor_root_ds();
  REQUIRE(c.keys(c.root).status == Status::secure);
  RrList ds = c.example.ds();
  RrList wrong_sigs = c.example.sign(ds.get(), kInception, kExpiration);  // the child signing its own DS
  const Verdict v = c.v.accept_ds("example.", ".", ds.get(), wrong_sigs.get(), kNow);
  CHECK(v.status == Status::bogus);
  CHECK(c.v.zone_status("example.") == Status::bogus);
  // A later, valid DS from another server repairs it.
  CHECK(c.delegate(c.root, c.example).status == Status::secure);
  CHECK(c.keys(c.example).status == Status::secure);
}

TEST_CASE("DS digests: SHA-1 and SHA-384 work, SHA-1 yields to a stronger digest, unknown ones are insecure", "[dnssec]") {
  Chain c;
  c.anchor_root_ds();
  REQUIRE(c.keys(c.root).status == Status::secure);
  auto accept = [&](RrList ds) {
    RrList sigs = c.root.sign(ds.get(), kInception, kExpiration);
    return c.v.accept_ds("example.", ".", ds.get(), sigs.get(), kNow);
  };
  SECTION("SHA-1") {
    REQUIRE(accept(c.example.ds(LDNS_SHA1)).status == Status::secure);
    CHECK(c.keys(c.example).status == Status::secure);
  }
  SECTION("SHA-384") {
    REQUIRE(accept(c.example.ds(LDNS_SHA384)).status == Status::secure);
    CHECK(c.keys(c.example).status == Status::secure);
  }
  SECTION("a right SHA-1 DS beside a wrong SHA-256 DS (RFC 4509 3)") {
    ZoneSigner other("example.");
    RrList ds = c.example.ds(LDNS_SHA1);
    push_copy(ds.get(), ldns_rr_list_rr(other.ds(LDNS_SHA256).get(), 0));
    REQUIRE(accept(std::move(ds)).status == Status::secure);
    CHECK(c.keys(c.example).status == Status::bogus);
  }
  SECTION("only an unknown digest type: the delegation is insecure") {
    const Verdict v = accept(records_from_text(
        {"example. 3600 IN DS 12345 13 3 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"}));
    CHECK(v.status == Status::insecure);
    CHECK(c.v.zone_status("example.") == Status::insecure);
    CHECK(c.keys(c.example).status == Status::insecure);
  }
}

TEST_CASE("A failed call does not demote a secure zone", "[dnssec]") {
  Chain c;
  c.build();
  RrList dnskeys = c.example.dnskeys();
  CHECK(c.v.accept_dnskeys("example.", dnskeys.get(), nullptr, kNow).status == Status::bogus);
  CHECK(c.v.zone_status("example.") == Status::secure);
}

TEST_CASE("Only RRSIGs whose signer is the zone are used", "[dnssec]") {
  Chain c;
  c.build();
  // The parent signs a name of the child: a valid signature, by the wrong zone.
  RrList rrset = records_from_text({"www.sub.example. 300 IN A 192.0.2.1"});
  RrList sigs = c.example.sign(rrset.get(), kInception, kExpiration);
  const Verdict v = c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), kNow);
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains("signer"));
  // And a name outside the zone is refused before any check.
  RrList outside = records_from_text({"www.other. 300 IN A 192.0.2.1"});
  CHECK(c.v.verify_rrset("sub.example.", outside.get(), sigs.get(), kNow).status == Status::bogus);
}

TEST_CASE("A key with another tag or algorithm is never tried", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"www.sub.example. 300 IN A 192.0.2.1"});
  ZoneSigner stranger("sub.example.");
  RrList sigs = stranger.sign(rrset.get(), kInception, kExpiration);
  const std::uint64_t before = c.v.signature_checks();
  const Verdict v = c.v.verify_rrset("sub.example.", rrset.get(), sigs.get(), kNow);
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains("no key with tag"));
  CHECK(c.v.signature_checks() == before);
}

TEST_CASE("A wildcard expansion is secure and flagged", "[dnssec]") {
  Chain c;
  c.build();
  RrList wildcard = records_from_text({"*.sub.example. 300 IN A 192.0.2.7"});
  RrList sigs = c.sub.sign(wildcard.get(), kInception, kExpiration);
  RrList expanded = records_from_text({"anything.sub.example. 300 IN A 192.0.2.7"});
  // In an answer the RRSIG carries the expanded owner; its label count still says "*.sub.example.".
  ldns_rr* sig = ldns_rr_list_rr(sigs.get(), 0);
  ldns_rdf_deep_free(ldns_rr_owner(sig));
  ldns_rr_set_owner(sig, parse_name("anything.sub.example.").release());
  const Verdict v = c.v.verify_rrset("sub.example.", expanded.get(), sigs.get(), kNow);
  CHECK(v.status == Status::secure);
  CHECK(v.wildcard_expanded);
  CHECK_THAT(v.reason, Catch::Contains("wildcard"));
}

TEST_CASE("verify_rrset_text checks records in presentation format", "[dnssec]") {
  Chain c;
  c.build();
  RrList rrset = records_from_text({"mx.sub.example. 300 IN A 192.0.2.1"});
  RrList sigs = c.sub.sign(rrset.get(), kInception, kExpiration);
  const std::vector<std::string> sig_text = texts(sigs.get());

  CHECK(c.v.verify_rrset_text("sub.example.", {"mx.sub.example. 300 IN A 192.0.2.1"}, sig_text, kNow).status ==
        Status::secure);
  // A resolver's answer with a lower TTL still verifies (the RRSIG carries the original TTL).
  CHECK(c.v.verify_rrset_text("sub.example.", {"MX.sub.example. 17 IN A 192.0.2.1"}, sig_text, kNow).status ==
        Status::secure);
  const Verdict forged = c.v.verify_rrset_text("sub.example.", {"mx.sub.example. 300 IN A 198.51.100.9"}, sig_text, kNow);
  CHECK(forged.status == Status::bogus);
  CHECK_THAT(forged.reason, Catch::Contains("bad signature"));

  const Verdict garbage = c.v.verify_rrset_text("sub.example.", {"mx.sub.example. 300 IN A 192.0.2.999"}, sig_text, kNow);
  CHECK(garbage.status == Status::bogus);
  CHECK_THAT(garbage.reason, Catch::Contains("cannot parse"));
  CHECK(c.v.verify_rrset_text("sub.example.", {"mx.sub.example. 300 IN A 192.0.2.1"}, {"not an RRSIG at all"}, kNow)
            .status == Status::bogus);
}

TEST_CASE("Nothing known about a zone: indeterminate", "[dnssec]") {
  Validator v;
  RrList rrset = records_from_text({"www.example. 300 IN A 192.0.2.1"});
  CHECK(v.zone_status("example.") == Status::indeterminate);
  const Verdict r = v.verify_rrset("example.", rrset.get(), nullptr, kNow);
  CHECK(r.status == Status::indeterminate);
  CHECK_FALSE(r.reason.empty());
  CHECK(v.verify_rrset_text("example.", {"www.example. 300 IN A 192.0.2.1"}, {}, kNow).status == Status::indeterminate);
  CHECK(v.verify_denial("example.", "nx.example.", 1, true, nullptr, nullptr, kNow).status == Status::indeterminate);
  // Without a DS or anchor, DNSKEYs prove nothing.
  ZoneSigner z("example.");
  RrList keys = z.dnskeys();
  RrList sigs = z.sign_dnskeys(kInception, kExpiration);
  CHECK(v.accept_dnskeys("example.", keys.get(), sigs.get(), kNow).status == Status::indeterminate);
  CHECK(v.zone_status("example.") == Status::indeterminate);
  // Nor does a DS from a parent nobody validated.
  RrList ds = z.ds();
  CHECK(v.accept_ds("example.", ".", ds.get(), nullptr, kNow).status == Status::indeterminate);
  CHECK(v.zone_status("not a name..") == Status::indeterminate);
}

TEST_CASE("Trust anchor text: comments, parentheses, and errors with file:line", "[dnssec]") {
  ZoneSigner root(".");
  const std::string ds = rr_text(ldns_rr_list_rr(root.ds().get(), 0));
  Validator v;

  SECTION("comments, blank lines, a DNSKEY over several lines") {
    RrList key = new_list();
    push_copy(key.get(), root.dnskey(ZoneSigner::Key::ksk));
    std::string dnskey = rr_text(root.dnskey(ZoneSigner::Key::ksk));
    dnskey = dnskey.substr(0, dnskey.find(" ;"));  // ldns appends ";{id = ...}"
    // "owner ttl class DNSKEY flags proto alg key" -> the key goes on a line of its own.
    const std::size_t at = dnskey.rfind('\t') == std::string::npos ? dnskey.rfind(' ') : std::max(dnskey.rfind(' '), dnskey.rfind('\t'));
    const std::string multiline = dnskey.substr(0, at) + " (\n    " + dnskey.substr(at + 1) + " )";
    v.add_trust_anchors("; root anchors\n\n" + ds + " ; the DS\n" + multiline + "\n", "anchors.txt");
    CHECK(v.has_trust_anchor("."));
    CHECK_FALSE(v.has_trust_anchor("example."));
  }
  SECTION("a bad line names its file and line, and nothing is added") {
    try {
      v.add_trust_anchors("; header\n" + ds + "\n. IN DS 12345 8 2 NOTHEX\n", "anchors.txt");
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK_THAT(e.what(), Catch::StartsWith("anchors.txt:3: "));
    }
    CHECK_FALSE(v.has_trust_anchor("."));
  }
  SECTION("a record that is not DS or DNSKEY") {
    CHECK_THROWS_WITH(v.add_trust_anchors(ds + "\nexample. 300 IN A 192.0.2.1", "ta"), Catch::StartsWith("ta:2: "));
  }
  SECTION("a DNSKEY without the zone key flag") {
    CHECK_THROWS_WITH(v.add_trust_anchors(". IN DNSKEY 0 3 13 AAAA", "ta"), Catch::StartsWith("ta:1: "));
  }
  SECTION("no anchor at all") {
    CHECK_THROWS_WITH(v.add_trust_anchors("; only a comment\n", "empty.key"), Catch::StartsWith("empty.key:"));
    CHECK_THROWS_AS(v.add_trust_anchors("", "empty.key"), std::runtime_error);
  }
}

TEST_CASE("Trust anchor files are read from disk", "[dnssec]") {
  ZoneSigner root(".");
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mxsentry-dnssec-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "root.key").string();
  {
    std::ofstream out(path);
    out << "; test anchor\n" << rr_text(root.dnskey(ZoneSigner::Key::ksk)) << "\n";
  }
  Validator v;
  v.load_trust_anchor_file(path);
  CHECK(v.has_trust_anchor("."));
  {
    std::ofstream out(path);
    out << rr_text(root.dnskey(ZoneSigner::Key::ksk)) << "\nbroken\n";
  }
  CHECK_THROWS_WITH(Validator().load_trust_anchor_file(path), Catch::StartsWith(path + ":2: "));
  CHECK_THROWS_AS(Validator().load_trust_anchor_file((dir / "missing.key").string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Debian's root trust anchor loads", "[dnssec]") {
  const std::string path = "/usr/share/dns/root.key";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is not installed (dns-root-data)");
    return;
  }
  Validator v;
  v.load_trust_anchor_file(path);
  CHECK(v.has_trust_anchor("."));
  CHECK(v.zone_status(".") == Status::indeterminate);
  if (std::filesystem::exists("/usr/share/dns/root.ds")) {
    v.load_trust_anchor_file("/usr/share/dns/root.ds");
    CHECK(v.has_trust_anchor("."));
  }
}
