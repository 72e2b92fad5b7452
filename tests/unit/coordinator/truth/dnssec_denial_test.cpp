// dnssec::Validator denial proofs: insecure delegations proven with NSEC and NSEC3 (opt-out),
// everything below an insecure cut, NXDOMAIN and NODATA with NSEC and NSEC3, the RFC 9276
// iteration limit (no hash computed), and the limits on denial records.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "coordinator/truth/dnssec_signer.h"
#include "coordinator/truth/dnssec_validator.h"

using namespace mxsentry::dnssec;

namespace {

constexpr std::uint32_t kNow = 1'700'000'000;
constexpr std::uint32_t kInception = kNow - 86'400;
constexpr std::uint32_t kExpiration = kNow + 30 * 86'400;
constexpr std::uint16_t A = LDNS_RR_TYPE_A, MX = LDNS_RR_TYPE_MX;

RrList from_lines(const std::vector<std::string>& lines) {
  RrList list = new_list();
  for (const std::string& line : lines) {
    RrList one = records_from_text({line});
    push_copy(list.get(), ldns_rr_list_rr(one.get(), 0));
  }
  return list;
}

// root -> example. (secure); example. signs the denial records.
struct Signed {
  ZoneSigner root{"."};
  ZoneSigner example{"example."};
  Validator v;

  explicit Signed(Limits limits = {}) : v(limits) {
    v.add_trust_anchors(rr_text(ldns_rr_list_rr(root.ds().get(), 0)), "root.ds");
    RrList keys = root.dnskeys(), keys_sigs = root.sign_dnskeys(kInception, kExpiration);
    REQUIRE(v.accept_dnskeys(".", keys.get(), keys_sigs.get(), kNow).status == Status::secure);
    RrList ds = example.ds(), ds_sigs = root.sign(ds.get(), kInception, kExpiration);
    REQUIRE(v.accept_ds("example.", ".", ds.get(), ds_sigs.get(), kNow).status == Status::secure);
    RrList ekeys = example.dnskeys(), ekeys_sigs = example.sign_dnskeys(kInception, kExpiration);
    REQUIRE(v.accept_dnskeys("example.", ekeys.get(), ekeys_sigs.get(), kNow).status == Status::secure);
  }

  /// Each record is its own RRset here (distinct owners): one RRSIG each.
  RrList sign_each(const ldns_rr_list* records) {
    RrList sigs = new_list();
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(records); ++i) {
      RrList one = new_list();
      push_copy(one.get(), ldns_rr_list_rr(records, i));
      RrList s = example.sign(one.get(), kInception, kExpiration);
      push_copy(sigs.get(), ldns_rr_list_rr(s.get(), 0));
    }
    return sigs;
  }
  Verdict no_ds(const std::string& child, const std::vector<std::string>& lines) {
    RrList records = from_lines(lines);
    RrList sigs = sign_each(records.get());
    return v.accept_no_ds(child, "example.", records.get(), sigs.get(), kNow);
  }
  Verdict denial(const std::string& qname, std::uint16_t qtype, bool nxdomain, const std::vector<std::string>& lines) {
    RrList records = from_lines(lines);
    RrList sigs = sign_each(records.get());
    return v.verify_denial("example.", qname, qtype, nxdomain, records.get(), sigs.get(), kNow);
  }
};

// ---- NSEC3 names: hashes made with ldns, neighbours made by adding +-1 to the 160-bit hash ----

const std::uint8_t kSalt[] = {0xaa, 0xbb};

std::string nsec3_label(const std::string& name, std::uint16_t iterations = 5) {
  Rdf n = parse_name(name);
  Rdf hashed(ldns_nsec3_hash_name(n.get(), LDNS_SHA1, iterations, sizeof kSalt, kSalt));
  REQUIRE(hashed);
  const std::string text = to_text(hashed.get());
  return text.substr(0, text.find('.'));
}

std::string shifted(const std::string& label, int delta) {
  std::uint8_t raw[20];
  REQUIRE(ldns_b32_pton_extended_hex(label.data(), label.size(), raw, sizeof raw) == 20);
  for (int i = 19; i >= 0; --i) {  // big-endian +-1 with carry
    const int v = raw[i] + delta;
    raw[i] = static_cast<std::uint8_t>(v);
    if (v >= 0 && v <= 255) break;
  }
  char out[64] = {};
  REQUIRE(ldns_b32_ntop_extended_hex(raw, sizeof raw, out, sizeof out) == 32);
  std::string s(out, 32);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

std::string nsec3(const std::string& owner, const std::string& next, int flags, std::uint16_t iterations,
                  const std::string& types) {
  return owner + ".example. 3600 IN NSEC3 1 " + std::to_string(flags) + " " + std::to_string(iterations) + " AABB " +
         next + " " + types;
}

/// The NSEC3 matching a name exactly.
std::string nsec3_at(const std::string& name, const std::string& types, std::uint16_t iterations = 5, int flags = 0) {
  const std::string h = nsec3_label(name, iterations);
  return nsec3(h, shifted(h, 1), flags, iterations, types);
}
/// An NSEC3 whose span holds the hash of `name` (and little else).
std::string nsec3_covering(const std::string& name, int flags, std::uint16_t iterations = 5) {
  const std::string h = nsec3_label(name, iterations);
  return nsec3(shifted(h, -1), shifted(h, 1), flags, iterations, "A RRSIG");
}

const std::string kApexTypes = "NS SOA RRSIG DNSKEY NSEC3PARAM";

}  // namespace

TEST_CASE("An insecure delegation proven with NSEC, everything below it is insecure", "[dnssec]") {
  Signed s;
  const Verdict v = s.no_ds("insecure.example.", {"insecure.example. 3600 IN NSEC j.example. NS RRSIG NSEC"});
  CHECK(v.status == Status::insecure);
  CHECK(s.v.zone_status("insecure.example.") == Status::insecure);

  s.v.inherit_insecure("deep.insecure.example.", "insecure.example.");
  CHECK(s.v.zone_status("deep.insecure.example.") == Status::insecure);
  CHECK(s.v.zone_status("x.y.insecure.example.") == Status::insecure);  // nothing recorded: below the cut
  CHECK(s.v.zone_status("example.") == Status::secure);
  CHECK(s.v.zone_status("other.example.") == Status::indeterminate);

  RrList rrset = records_from_text({"www.deep.insecure.example. 300 IN A 192.0.2.1"});
  CHECK(s.v.verify_rrset("deep.insecure.example.", rrset.get(), nullptr, kNow).status == Status::insecure);
  CHECK(s.v.verify_denial("insecure.example.", "nx.insecure.example.", A, true, nullptr, nullptr, kNow).status ==
        Status::insecure);
  ZoneSigner child("deep.insecure.example.");
  RrList ds = child.ds();
  CHECK(s.v.accept_ds("deep.insecure.example.", "insecure.example.", ds.get(), nullptr, kNow).status ==
        Status::insecure);

  CHECK_THROWS_AS(s.v.inherit_insecure("other.example.", "example."), std::invalid_argument);  // example. is secure
  CHECK_THROWS_AS(s.v.inherit_insecure("example.", "insecure.example."), std::invalid_argument);  // not below
}

TEST_CASE("A no-DS proof with NSEC that does not hold is bogus", "[dnssec]") {
  Signed s;
  std::string line, expect;
  SECTION("the DS bit is set") {
    line = "insecure.example. 3600 IN NSEC j.example. NS DS RRSIG NSEC";
    expect = "lists a DS";
  }
  SECTION("the NS bit is clear: no delegation") {
    line = "insecure.example. 3600 IN NSEC j.example. A RRSIG NSEC";
    expect = "no delegation";
  }
  SECTION("the child zone's apex NSEC (the wrong side of the cut)") {
    line = "insecure.example. 3600 IN NSEC j.example. NS SOA RRSIG NSEC DNSKEY";
    expect = "apex";
  }
  SECTION("an NSEC that covers the child name: the child does not exist") {
    line = "a.example. 3600 IN NSEC j.example. A RRSIG NSEC";
    expect = "does not exist";
  }
  const Verdict v = s.no_ds("insecure.example.", {line});
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains(expect));
  CHECK(s.v.zone_status("insecure.example.") == Status::bogus);
}

TEST_CASE("A no-DS NSEC that is unsigned or altered is bogus", "[dnssec]") {
  Signed s;
  RrList records = records_from_text({"insecure.example. 3600 IN NSEC j.example. NS RRSIG NSEC"});
  CHECK(s.v.accept_no_ds("insecure.example.", "example.", records.get(), nullptr, kNow).status == Status::bogus);
  RrList sigs = s.sign_each(records.get());
  RrList altered = records_from_text({"insecure.example. 3600 IN NSEC k.example. NS RRSIG NSEC"});
  CHECK(s.v.accept_no_ds("insecure.example.", "example.", altered.get(), sigs.get(), kNow).status == Status::bogus);
  // The genuine pair, handed over in one list with its RRSIG, proves it.
  RrList both = records_from_text({"insecure.example. 3600 IN NSEC j.example. NS RRSIG NSEC"});
  push_copy(both.get(), ldns_rr_list_rr(sigs.get(), 0));
  CHECK(s.v.accept_no_ds("insecure.example.", "example.", both.get(), nullptr, kNow).status == Status::insecure);
}

TEST_CASE("An NSEC3 opt-out span proves an unsigned delegation", "[dnssec]") {
  Signed s;
  const std::string child = "optout.example.";
  const std::string apex = nsec3_at("example.", kApexTypes);

  const Verdict v = s.no_ds(child, {apex, nsec3_covering(child, 1)});
  CHECK(v.status == Status::insecure);
  CHECK_THAT(v.reason, Catch::Contains("opt-out"));
  CHECK(s.v.zone_status(child) == Status::insecure);
  CHECK(s.v.nsec3_hash_computations() > 0);

  // The same span without the opt-out flag proves nothing about a delegation.
  Signed t;
  CHECK(t.no_ds(child, {apex, nsec3_covering(child, 0)}).status == Status::bogus);
  // Nor does a span without the closest encloser's NSEC3.
  CHECK(t.no_ds("other.example.", {nsec3_covering("other.example.", 1)}).status == Status::bogus);
}

TEST_CASE("An NSEC3 at the child name proves no DS by its type bitmap", "[dnssec]") {
  Signed s;
  CHECK(s.no_ds("signed-nsec3.example.", {nsec3_at("signed-nsec3.example.", "NS")}).status == Status::insecure);
  const Verdict ds = s.no_ds("with-ds.example.", {nsec3_at("with-ds.example.", "NS DS RRSIG")});
  CHECK(ds.status == Status::bogus);
  CHECK_THAT(ds.reason, Catch::Contains("DS"));
}

TEST_CASE("NSEC3 above the iteration limit is insecure and never hashed", "[dnssec]") {
  Signed s;
  const std::string child = "costly.example.";
  // The owners are the 5-iteration hashes: nothing may hash them again to find out.
  const std::vector<std::string> records = {nsec3(nsec3_label("example."), shifted(nsec3_label("example."), 1), 0, 500, kApexTypes),
                                            nsec3(shifted(nsec3_label(child), -1), shifted(nsec3_label(child), 1), 1, 500, "A")};
  const std::uint64_t hashes = s.v.nsec3_hash_computations();
  const std::uint64_t checks = s.v.signature_checks();

  const Verdict v = s.no_ds(child, records);
  CHECK(v.status == Status::insecure);
  CHECK_THAT(v.reason, Catch::Contains("NSEC3 iterations above limit"));
  CHECK(s.v.zone_status(child) == Status::insecure);

  const Verdict nx = s.denial("nx.example.", A, true, records);
  CHECK(nx.status == Status::insecure);
  CHECK_THAT(nx.reason, Catch::Contains("NSEC3 iterations above limit"));

  CHECK(s.v.nsec3_hash_computations() == hashes);  // no hash computed
  CHECK(s.v.signature_checks() == checks + 4);      // the signatures were checked first

  // Unsigned, they cannot downgrade a secure zone to insecure.
  RrList unsigned_records = from_lines(records);
  CHECK(s.v.verify_denial("example.", "nx.example.", A, true, unsigned_records.get(), nullptr, kNow).status ==
        Status::bogus);

  // The limit is configurable.
  Limits strict;
  strict.max_nsec3_iterations = 0;
  Signed t(strict);
  CHECK(t.no_ds("optout.example.", {nsec3_at("example.", kApexTypes), nsec3_covering("optout.example.", 1)}).status ==
        Status::insecure);
}

TEST_CASE("NXDOMAIN proven by NSEC", "[dnssec]") {
  Signed s;
  const std::string apex = "example. 3600 IN NSEC a.example. NS SOA RRSIG NSEC DNSKEY";
  const std::string a = "a.example. 3600 IN NSEC m.example. A RRSIG NSEC";

  const Verdict v = s.denial("b.example.", A, true, {apex, a});
  CHECK(v.status == Status::secure);
  CHECK(s.denial("x.b.example.", MX, true, {apex, a}).status == Status::secure);  // closest encloser example.

  const Verdict no_wildcard = s.denial("b.example.", A, true, {a});  // *.example. not shown absent
  CHECK(no_wildcard.status == Status::bogus);
  CHECK_THAT(no_wildcard.reason, Catch::Contains("wildcard"));

  const Verdict exists = s.denial("a.example.", A, true, {apex, a});
  CHECK(exists.status == Status::bogus);
  CHECK_THAT(exists.reason, Catch::Contains("exists"));

  CHECK(s.denial("b.example.", A, true, {"example. 3600 IN NSEC *.example. NS SOA RRSIG NSEC DNSKEY",
                                          "*.example. 3600 IN NSEC m.example. A RRSIG NSEC"})
            .status == Status::bogus);  // the wildcard exists: no NXDOMAIN
  CHECK(s.denial("other.test.", A, true, {apex, a}).status == Status::bogus);  // not in the zone
}

TEST_CASE("NODATA proven by NSEC", "[dnssec]") {
  Signed s;
  const std::string a = "a.example. 3600 IN NSEC m.example. A RRSIG NSEC";
  CHECK(s.denial("a.example.", MX, false, {a}).status == Status::secure);
  const Verdict has_type = s.denial("a.example.", A, false, {a});
  CHECK(has_type.status == Status::bogus);
  CHECK_THAT(has_type.reason, Catch::Contains("lists A"));
  // An empty non-terminal: b.example. exists only because c.b.example. does.
  CHECK(s.denial("b.example.", MX, false, {"a.example. 3600 IN NSEC c.b.example. A RRSIG NSEC"}).status ==
        Status::secure);
  // A delegation's NSEC cannot deny the child's data.
  CHECK(s.denial("deleg.example.", A, false, {"deleg.example. 3600 IN NSEC m.example. NS RRSIG NSEC"}).status ==
        Status::bogus);
}

TEST_CASE("NXDOMAIN and NODATA proven by NSEC3", "[dnssec]") {
  Signed s;
  const std::string apex = nsec3_at("example.", kApexTypes);
  const std::string nx = nsec3_covering("nx.example.", 0);
  const std::string wildcard = nsec3_covering("*.example.", 0);

  CHECK(s.denial("nx.example.", A, true, {apex, nx, wildcard}).status == Status::secure);
  const Verdict no_wildcard = s.denial("nx.example.", A, true, {apex, nx});
  CHECK(no_wildcard.status == Status::bogus);
  CHECK_THAT(no_wildcard.reason, Catch::Contains("wildcard"));
  CHECK(s.denial("nx.example.", A, true, {nx, wildcard}).status == Status::bogus);  // no closest encloser
  const Verdict optout = s.denial("nx.example.", A, true, {apex, nsec3_covering("nx.example.", 1), wildcard});
  CHECK(optout.status == Status::insecure);

  const std::string a = nsec3_at("a.example.", "A RRSIG");
  CHECK(s.denial("a.example.", MX, false, {a}).status == Status::secure);
  CHECK(s.denial("a.example.", A, false, {a}).status == Status::bogus);
  CHECK(s.denial("a.example.", MX, true, {a}).status == Status::bogus);  // it exists: not NXDOMAIN
}

TEST_CASE("Denial records are bounded and of one kind", "[dnssec]") {
  Signed s;
  std::vector<std::string> many;
  for (int i = 0; i < 33; ++i) many.push_back("n" + std::to_string(i) + ".example. 3600 IN NSEC z.example. A RRSIG NSEC");
  const Verdict v = s.denial("a.example.", A, true, many);
  CHECK(v.status == Status::bogus);
  CHECK_THAT(v.reason, Catch::Contains("too many"));

  CHECK(s.denial("nx.example.", A, true,
                 {"example. 3600 IN NSEC z.example. NS SOA RRSIG NSEC DNSKEY", nsec3_at("example.", kApexTypes)})
            .status == Status::bogus);
  CHECK(s.denial("nx.example.", A, true, {}).status == Status::bogus);
}

TEST_CASE("NODATA from an NSEC3 wildcard, and DS NODATA under opt-out", "[dnssec]") {
  Signed s;
  const std::string apex = nsec3_at("example.", kApexTypes);
  const std::string q = nsec3_covering("q.example.", 0);
  const std::string wildcard = nsec3_at("*.example.", "A RRSIG");
  const Verdict v = s.denial("q.example.", MX, false, {apex, q, wildcard});
  CHECK(v.status == Status::secure);
  CHECK_THAT(v.reason, Catch::Contains("wildcard"));
  CHECK(s.denial("q.example.", A, false, {apex, q, wildcard}).status == Status::bogus);  // the wildcard has A
  CHECK(s.denial("q.example.", MX, false, {apex, q}).status == Status::bogus);

  CHECK(s.denial("child.example.", LDNS_RR_TYPE_DS, false, {apex, nsec3_covering("child.example.", 1)}).status ==
        Status::insecure);
  CHECK(s.denial("child.example.", LDNS_RR_TYPE_DS, false, {nsec3_at("child.example.", "NS")}).status ==
        Status::secure);
}

TEST_CASE("NSEC3 parameters: unknown hash, mixed parameters, other zones", "[dnssec]") {
  Signed s;
  const std::string h = nsec3_label("a.example.");
  const Verdict unknown = s.denial("a.example.", MX, false, {h + ".example. 3600 IN NSEC3 2 0 5 AABB " + shifted(h, 1) + " A"});
  CHECK(unknown.status == Status::insecure);
  CHECK_THAT(unknown.reason, Catch::Contains("algorithm"));

  const std::string other_salt = h + ".example. 3600 IN NSEC3 1 0 5 CCDD " + shifted(h, 1) + " A";
  CHECK(s.denial("a.example.", MX, false, {nsec3_at("a.example.", "A"), other_salt}).status == Status::bogus);

  // An NSEC3 owned by another zone takes no part in this zone's proof.
  const std::string foreign = h + ".sub.example. 3600 IN NSEC3 1 0 5 AABB " + shifted(h, 1) + " A";
  CHECK(s.denial("a.example.", MX, false, {foreign}).status == Status::bogus);
}
