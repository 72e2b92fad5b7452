#pragma once
// Owning wrappers for ldns objects and the small record predicates the DNSSEC code shares.
// Names handled here are canonical (lower case, absolute); ldns_dname_compare ignores case.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/dns/ldns_include.h"

namespace mxsentry::dnssec {

struct RrListDeleter {
  void operator()(ldns_rr_list* list) const { ldns_rr_list_deep_free(list); }
};
struct RrDeleter {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct RdfDeleter {
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};
/// An ldns_rr_list that owns its records (deep free).
using RrList = std::unique_ptr<ldns_rr_list, RrListDeleter>;
using Rr = std::unique_ptr<ldns_rr, RrDeleter>;
using Rdf = std::unique_ptr<ldns_rdf, RdfDeleter>;

/// A new empty owning list (never null; throws std::bad_alloc).
RrList new_list();
/// Deep copy of `list` (null -> empty list), every record made canonical (RFC 4034 6.2).
RrList canonical_copy(const ldns_rr_list* list);
/// Appends a deep copy of `rr` to `list`.
void push_copy(ldns_rr_list* list, const ldns_rr* rr);

/// Parses a presentation-format name into a canonical absolute name; null if invalid.
Rdf parse_name(std::string_view text);
/// Presentation format of a name (or any rdf).
std::string to_text(const ldns_rdf* rdf);
/// Presentation format of a record type ("A", "TYPE65534").
std::string type_text(std::uint16_t type);
/// Presentation format of a record without its trailing newline.
std::string rr_text(const ldns_rr* rr);

bool same_name(const ldns_rdf* a, const ldns_rdf* b);
/// `name` equals `zone` or lies below it.
bool at_or_below(const ldns_rdf* name, const ldns_rdf* zone);
/// `name` lies strictly below `zone`.
bool strictly_below(const ldns_rdf* name, const ldns_rdf* zone);

/// DNSKEY algorithms ldns validates and RFC 8624 allows for validation.
bool algorithm_supported(std::uint8_t algorithm);
/// DS digest types ldns computes: SHA-1, SHA-256, SHA-384.
bool digest_supported(std::uint8_t digest_type);

std::uint16_t key_flags(const ldns_rr* dnskey);
std::uint8_t key_algorithm(const ldns_rr* dnskey);
/// A DNSKEY that may verify RRSIGs: zone key, not revoked, protocol 3, supported algorithm.
bool key_usable(const ldns_rr* dnskey);
/// A well-formed DS: four fields.
bool ds_well_formed(const ldns_rr* ds);
std::uint16_t ds_key_tag(const ldns_rr* ds);
std::uint8_t ds_algorithm(const ldns_rr* ds);
std::uint8_t ds_digest_type(const ldns_rr* ds);

/// Empty when `rrset` is one non-empty RRset (same owner, class and type, not RRSIG);
/// otherwise what is wrong with it.
std::string rrset_problem(const ldns_rr_list* rrset);

/// Whether `list` holds a record equal to `rr` (owner, class, type, rdata; TTL ignored).
bool contains_rr(const ldns_rr_list* list, const ldns_rr* rr);

}  // namespace mxsentry::dnssec
