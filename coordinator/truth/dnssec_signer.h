#pragma once
// A zone's signing keys in memory, for building signed DNS data in tests and lab fixtures:
// a KSK (SEP flag) and a ZSK, RRSIGs with an explicit validity period (simulated time; ldns
// would otherwise take the wall clock), DS records of the KSK. Not used by validation.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "coordinator/truth/dnssec_ldns.h"

namespace mxsentry::dnssec {

struct KeyListDeleter {
  void operator()(ldns_key_list* list) const { ldns_key_list_free(list); }  // frees the keys too
};
using KeyList = std::unique_ptr<ldns_key_list, KeyListDeleter>;

/// Parses records in presentation format, one per string; throws std::runtime_error.
RrList records_from_text(std::initializer_list<std::string_view> lines);

class ZoneSigner {
 public:
  enum class Key { ksk, zsk };

  /// Generates a KSK (flags 257) and a ZSK (flags 256) for `zone`.
  explicit ZoneSigner(std::string_view zone, ldns_signing_algorithm algorithm = LDNS_SIGN_ECDSAP256SHA256);

  const std::string& zone() const { return zone_; }
  const ldns_rr* dnskey(Key which) const { return which == Key::ksk ? ksk_rr_.get() : zsk_rr_.get(); }
  std::uint16_t tag(Key which) const { return ldns_calc_keytag(dnskey(which)); }

  /// Publishes one more DNSKEY in the zone's DNSKEY RRset (it signs nothing).
  void add_dnskey(const ldns_rr* dnskey);
  /// The DNSKEY RRset: KSK, ZSK and the added keys.
  RrList dnskeys() const;
  /// The DS RRset of the KSK, as the parent publishes it.
  RrList ds(ldns_hash digest = LDNS_SHA256) const;

  /// RRSIGs over `rrset` by one key, valid from `inception` to `expiration` (Unix seconds).
  RrList sign(const ldns_rr_list* rrset, std::uint32_t inception, std::uint32_t expiration, Key which = Key::zsk);
  /// The DNSKEY RRset's RRSIG by the KSK.
  RrList sign_dnskeys(std::uint32_t inception, std::uint32_t expiration) {
    return sign(dnskeys().get(), inception, expiration, Key::ksk);
  }

 private:
  std::string zone_;
  KeyList ksk_, zsk_;  // one key each
  Rr ksk_rr_, zsk_rr_;
  RrList extra_;
};

}  // namespace mxsentry::dnssec
