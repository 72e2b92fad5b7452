#include "coordinator/truth/dnssec_signer.h"

#include <new>
#include <stdexcept>

namespace mxsentry::dnssec {

RrList records_from_text(std::initializer_list<std::string_view> lines) {
  RrList list = new_list();
  for (std::string_view line : lines) {
    const std::string text(line);
    ldns_rr* raw = nullptr;
    const ldns_status status = ldns_rr_new_frm_str(&raw, text.c_str(), 0, nullptr, nullptr);
    Rr rr(raw);
    if (status != LDNS_STATUS_OK || !rr)
      throw std::runtime_error("cannot parse '" + text + "': " + ldns_get_errorstr_by_id(status));
    if (!ldns_rr_list_push_rr(list.get(), rr.get())) throw std::bad_alloc();
    rr.release();
  }
  return list;
}

namespace {

KeyList make_key(std::string_view zone, ldns_signing_algorithm algorithm, std::uint16_t flags, Rr& dnskey) {
  const bool rsa = algorithm == LDNS_SIGN_RSASHA256 || algorithm == LDNS_SIGN_RSASHA512 ||
                   algorithm == LDNS_SIGN_RSASHA1 || algorithm == LDNS_SIGN_RSASHA1_NSEC3;
  ldns_key* key = ldns_key_new_frm_algorithm(algorithm, rsa ? 1024 : 256);
  if (!key) throw std::runtime_error("ldns cannot generate a key for algorithm " + std::to_string(algorithm));
  KeyList list(ldns_key_list_new());
  if (!list || !ldns_key_list_push_key(list.get(), key)) {
    ldns_key_deep_free(key);
    throw std::bad_alloc();
  }
  Rdf owner = parse_name(zone);
  if (!owner) throw std::invalid_argument("invalid zone name");
  ldns_key_set_pubkey_owner(key, owner.release());  // the key owns it
  ldns_key_set_flags(key, flags);
  ldns_key_set_use(key, true);
  dnskey = Rr(ldns_key2rr(key));
  if (!dnskey) throw std::runtime_error("ldns_key2rr failed");
  // ldns_sign_public writes the key's stored tag into the RRSIG; it is not computed for us.
  ldns_key_set_keytag(key, ldns_calc_keytag(dnskey.get()));
  return list;
}

}  // namespace

ZoneSigner::ZoneSigner(std::string_view zone, ldns_signing_algorithm algorithm) : extra_(new_list()) {
  Rdf name = parse_name(zone);
  if (!name) throw std::invalid_argument("invalid zone name");
  zone_ = to_text(name.get());
  ksk_ = make_key(zone_, algorithm, LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY, ksk_rr_);
  zsk_ = make_key(zone_, algorithm, LDNS_KEY_ZONE_KEY, zsk_rr_);
}

void ZoneSigner::add_dnskey(const ldns_rr* dnskey) { push_copy(extra_.get(), dnskey); }

RrList ZoneSigner::dnskeys() const {
  RrList list = new_list();
  push_copy(list.get(), ksk_rr_.get());
  push_copy(list.get(), zsk_rr_.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(extra_.get()); ++i) push_copy(list.get(), ldns_rr_list_rr(extra_.get(), i));
  return list;
}

RrList ZoneSigner::ds(ldns_hash digest) const {
  RrList list = new_list();
  Rr ds(ldns_key_rr2ds(ksk_rr_.get(), digest));
  if (!ds || !ldns_rr_list_push_rr(list.get(), ds.get())) throw std::runtime_error("ldns_key_rr2ds failed");
  ds.release();
  return list;
}

RrList ZoneSigner::sign(const ldns_rr_list* rrset, std::uint32_t inception, std::uint32_t expiration, Key which) {
  ldns_key_list* keys = which == Key::ksk ? ksk_.get() : zsk_.get();
  ldns_key* key = ldns_key_list_key(keys, 0);
  // Both must be set: ldns falls back to time(NULL) for a zero inception or expiration.
  ldns_key_set_inception(key, inception ? inception : 1);
  ldns_key_set_expiration(key, expiration ? expiration : 1);
  RrList copy = canonical_copy(rrset);  // ldns_sign_public's parameter is not const
  RrList sigs(ldns_sign_public(copy.get(), keys));
  if (!sigs) throw std::runtime_error("ldns_sign_public failed");
  return sigs;
}

}  // namespace mxsentry::dnssec
