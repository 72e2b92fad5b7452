#pragma once
// A pure DNSSEC validator for the truth iterator: no I/O, no clock (time is a parameter), no
// queries. The iterator fetches DNSKEY, DS and denial records itself and hands them over; the
// validator builds the chain of trust from the trust anchors down, keeps each secure zone's
// validated DNSKEYs, and checks RRsets and denial proofs against them. Cryptography and the
// denial proofs come from ldns; every call into ldns's signature check is counted and bounded
// (KeyTrap, CVE-2023-50387), NSEC3 above the iteration limit is never hashed (RFC 9276).
//
// Ownership: every ldns_rr_list* parameter stays the caller's; what the validator keeps, it
// deep-copies. Const member functions only read the chain state (the counters are atomic), so
// one Validator may serve several threads once the chain is built.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/truth/dnssec_ldns.h"
#include "coordinator/truth/dnssec_status.h"
#include "protocol/dns/ldns_include.h"

namespace mxsentry::dnssec {

struct Limits {
  unsigned max_signature_checks_per_rrset = 16;  ///< KeyTrap: ldns verify calls per RRset
  unsigned max_keys_per_zone = 16;               ///< DNSKEYs considered (and kept) per zone
  unsigned max_nsec3_iterations = 150;           ///< above: the proof is insecure (RFC 9276), never hashed
  unsigned max_denial_records = 32;              ///< NSEC/NSEC3 records considered per proof
  unsigned max_signature_checks_per_denial = 32; ///< ldns verify calls over all records of one proof
  unsigned max_ds_digests = 16;                  ///< DS digests computed per accept_dnskeys call
};

class Validator {
 public:
  explicit Validator(Limits limits = {});
  Validator(Validator&& other) noexcept;
  Validator& operator=(Validator&& other) noexcept;
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;
  ~Validator();

  /// Adds DS or DNSKEY lines (zone-file text, comments, $ORIGIN/$TTL and parentheses allowed);
  /// throws std::runtime_error("source:line: reason") and then adds nothing.
  void add_trust_anchors(std::string_view text, const std::string& source);
  /// Reads a trust anchor file (e.g. /usr/share/dns/root.key); errors as add_trust_anchors.
  void load_trust_anchor_file(const std::string& path);
  /// Whether a DS or DNSKEY trust anchor is configured for exactly this zone.
  bool has_trust_anchor(const std::string& zone) const;

  /// Validates `zone`'s DNSKEY RRset with a key that matches an accepted DS or trust anchor and
  /// signs the RRset at `now`; on success the zone is secure and its keys are kept (merged with
  /// keys kept before, bounded by max_keys_per_zone). A failed call never demotes a secure zone.
  Verdict accept_dnskeys(const std::string& zone, const ldns_rr_list* dnskeys, const ldns_rr_list* rrsigs,
                         std::uint32_t now);
  /// Validates the DS RRset for `child` with `parent`'s kept keys and accepts it for accept_dnskeys.
  /// secure: accepted; insecure: parent insecure or no DS with a supported algorithm/digest.
  Verdict accept_ds(const std::string& child, const std::string& parent, const ldns_rr_list* ds,
                    const ldns_rr_list* rrsigs, std::uint32_t now);
  /// Validates the parent's NSEC/NSEC3 proof that `child` has no DS; proven: the child is insecure.
  Verdict accept_no_ds(const std::string& child, const std::string& parent, const ldns_rr_list* denial,
                       const ldns_rr_list* rrsigs, std::uint32_t now);
  /// Marks `zone` insecure below the insecure `ancestor` (a zone with its own trust anchor stays
  /// as it is). Throws std::invalid_argument unless `ancestor` is insecure and above `zone`.
  void inherit_insecure(const std::string& zone, const std::string& ancestor);

  /// What is known of a zone. A zone nothing is recorded for is insecure when its nearest
  /// recorded ancestor is insecure (and no trust anchor lies in between), else indeterminate.
  Status zone_status(const std::string& zone) const;
  /// The reason recorded with the zone's status (empty when none).
  std::string zone_reason(const std::string& zone) const;
  /// The zone's kept DNSKEYs (a deep copy; empty unless the zone is secure).
  RrList zone_keys(const std::string& zone) const;

  /// Is `rrset` validly signed by `zone`'s kept keys at `now` (RRSIG signer must be `zone`)?
  Verdict verify_rrset(const std::string& zone, const ldns_rr_list* rrset, const ldns_rr_list* rrsigs,
                       std::uint32_t now) const;
  /// verify_rrset for records in presentation format, one RR a string; unparsable -> bogus.
  Verdict verify_rrset_text(const std::string& zone, const std::vector<std::string>& rrset,
                            const std::vector<std::string>& rrsigs, std::uint32_t now) const;

  /// Verifies an NXDOMAIN (nxdomain) or NODATA denial for (qname, qtype) from `zone`: the
  /// NSEC/NSEC3 signatures with the zone's keys, then the proof with ldns.
  Verdict verify_denial(const std::string& zone, const std::string& qname, std::uint16_t qtype, bool nxdomain,
                        const ldns_rr_list* denial, const ldns_rr_list* rrsigs, std::uint32_t now) const;

  /// ldns signature verify calls made so far (each counts one key tried on one RRSIG).
  std::uint64_t signature_checks() const { return signature_checks_.load(std::memory_order_relaxed); }
  /// NSEC3 hash computations and ldns NSEC3 proof calls made so far.
  std::uint64_t nsec3_hash_computations() const { return nsec3_hashes_.load(std::memory_order_relaxed); }
  const Limits& limits() const { return limits_; }

 private:
  struct ZoneEntry {
    Status status = Status::indeterminate;
    std::string reason;
    RrList keys;  ///< secure: validated DNSKEYs
    RrList ds;    ///< DS RRset accepted from the parent
  };
  struct Anchor {
    RrList ds;
    RrList dnskeys;
  };

  Status status_of(const std::string& key, std::string* reason) const;
  ZoneEntry& entry(const std::string& key);
  void set_status(const std::string& key, Status status, const std::string& reason);
  Verdict fail_child(const std::string& child, Status status, const std::string& reason);
  /// Status handling shared by accept_ds and accept_no_ds; true when the parent is secure.
  bool parent_is_secure(const std::string& child, const std::string& parent, Verdict& out);

  Limits limits_;
  std::map<std::string, ZoneEntry> zones_;
  std::map<std::string, Anchor> anchors_;
  mutable std::atomic<std::uint64_t> signature_checks_{0};
  mutable std::atomic<std::uint64_t> nsec3_hashes_{0};
};

}  // namespace mxsentry::dnssec
