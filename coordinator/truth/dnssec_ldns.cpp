#include "coordinator/truth/dnssec_ldns.h"

#include <cstdlib>
#include <new>

namespace mxsentry::dnssec {

namespace {

struct CharFree {
  void operator()(char* p) const { std::free(p); }
};
using CharPtr = std::unique_ptr<char, CharFree>;

std::uint8_t rdf_u8(const ldns_rdf* rdf) { return rdf && ldns_rdf_size(rdf) >= 1 ? ldns_rdf2native_int8(rdf) : 0; }
std::uint16_t rdf_u16(const ldns_rdf* rdf) { return rdf && ldns_rdf_size(rdf) >= 2 ? ldns_rdf2native_int16(rdf) : 0; }

}  // namespace

RrList new_list() {
  RrList list(ldns_rr_list_new());
  if (!list) throw std::bad_alloc();
  return list;
}

RrList canonical_copy(const ldns_rr_list* list) {
  if (!list) return new_list();
  RrList copy(ldns_rr_list_clone(list));
  if (!copy) throw std::bad_alloc();
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(copy.get()); ++i) ldns_rr2canonical(ldns_rr_list_rr(copy.get(), i));
  return copy;
}

void push_copy(ldns_rr_list* list, const ldns_rr* rr) {
  Rr copy(ldns_rr_clone(rr));
  if (!copy || !ldns_rr_list_push_rr(list, copy.get())) throw std::bad_alloc();
  copy.release();  // the list owns it now
}

Rdf parse_name(std::string_view text) {
  if (text.empty() || text.size() > 1024) return nullptr;
  const std::string s(text);
  // Without an origin ldns makes every name absolute ("example" -> "example.").
  Rdf name(ldns_dname_new_frm_str(s.c_str()));
  if (!name || !ldns_dname_absolute(name.get())) return nullptr;
  ldns_dname2canonical(name.get());
  return name;
}

std::string to_text(const ldns_rdf* rdf) {
  if (!rdf) return "(none)";
  CharPtr s(ldns_rdf2str(rdf));
  return s ? std::string(s.get()) : std::string("(unprintable)");
}

std::string type_text(std::uint16_t type) {
  CharPtr s(ldns_rr_type2str(static_cast<ldns_rr_type>(type)));
  return s ? std::string(s.get()) : "TYPE" + std::to_string(type);
}

std::string rr_text(const ldns_rr* rr) {
  CharPtr s(ldns_rr2str(rr));
  if (!s) return "(unprintable record)";
  std::string text(s.get());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

bool same_name(const ldns_rdf* a, const ldns_rdf* b) { return a && b && ldns_dname_compare(a, b) == 0; }

bool strictly_below(const ldns_rdf* name, const ldns_rdf* zone) {
  // ldns_dname_is_subdomain is true for two spellings of the same name that differ only in
  // case, so equality is ruled out first with the case-insensitive compare.
  if (!name || !zone || same_name(name, zone)) return false;
  return ldns_dname_is_subdomain(name, zone);
}

bool at_or_below(const ldns_rdf* name, const ldns_rdf* zone) { return same_name(name, zone) || strictly_below(name, zone); }

bool algorithm_supported(std::uint8_t algorithm) {
  switch (algorithm) {
    case LDNS_RSASHA1:
    case LDNS_RSASHA1_NSEC3:
    case LDNS_RSASHA256:
    case LDNS_RSASHA512:
    case LDNS_ECDSAP256SHA256:
    case LDNS_ECDSAP384SHA384:
    case LDNS_ED25519:
    case LDNS_ED448:
      return true;
    default:  // RSAMD5, DSA, GOST and unknown ones: RFC 8624 says do not validate
      return false;
  }
}

bool digest_supported(std::uint8_t digest_type) {
  return digest_type == LDNS_SHA1 || digest_type == LDNS_SHA256 || digest_type == LDNS_SHA384;
}

std::uint16_t key_flags(const ldns_rr* dnskey) { return rdf_u16(ldns_rr_dnskey_flags(dnskey)); }
std::uint8_t key_algorithm(const ldns_rr* dnskey) { return rdf_u8(ldns_rr_dnskey_algorithm(dnskey)); }

bool key_usable(const ldns_rr* dnskey) {
  if (!dnskey || ldns_rr_get_type(dnskey) != LDNS_RR_TYPE_DNSKEY || ldns_rr_rd_count(dnskey) != 4) return false;
  const std::uint16_t flags = key_flags(dnskey);
  if (!(flags & LDNS_KEY_ZONE_KEY) || (flags & LDNS_KEY_REVOKE_KEY)) return false;
  if (rdf_u8(ldns_rr_dnskey_protocol(dnskey)) != 3) return false;
  return algorithm_supported(key_algorithm(dnskey));
}

bool ds_well_formed(const ldns_rr* ds) {
  return ds && ldns_rr_get_type(ds) == LDNS_RR_TYPE_DS && ldns_rr_rd_count(ds) == 4 &&
         ldns_rdf_size(ldns_rr_rdf(ds, 0)) == 2 && ldns_rdf_size(ldns_rr_rdf(ds, 1)) == 1 &&
         ldns_rdf_size(ldns_rr_rdf(ds, 2)) == 1;
}
std::uint16_t ds_key_tag(const ldns_rr* ds) { return rdf_u16(ldns_rr_rdf(ds, 0)); }
std::uint8_t ds_algorithm(const ldns_rr* ds) { return rdf_u8(ldns_rr_rdf(ds, 1)); }
std::uint8_t ds_digest_type(const ldns_rr* ds) { return rdf_u8(ldns_rr_rdf(ds, 2)); }

std::string rrset_problem(const ldns_rr_list* rrset) {
  const std::size_t n = rrset ? ldns_rr_list_rr_count(rrset) : 0;
  if (n == 0) return "empty RRset";
  const ldns_rr* first = ldns_rr_list_rr(rrset, 0);
  if (ldns_rr_get_type(first) == LDNS_RR_TYPE_RRSIG) return "an RRSIG RRset is not signed itself";
  for (std::size_t i = 1; i < n; ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(rrset, i);
    if (!same_name(ldns_rr_owner(rr), ldns_rr_owner(first)) || ldns_rr_get_type(rr) != ldns_rr_get_type(first) ||
        ldns_rr_get_class(rr) != ldns_rr_get_class(first))
      return "not one RRset: " + rr_text(first) + " and " + rr_text(rr);
  }
  return {};
}

bool contains_rr(const ldns_rr_list* list, const ldns_rr* rr) {
  for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i)
    if (ldns_rr_compare(ldns_rr_list_rr(list, i), rr) == 0) return true;  // rdata compare; TTL ignored
  return false;
}

}  // namespace mxsentry::dnssec
