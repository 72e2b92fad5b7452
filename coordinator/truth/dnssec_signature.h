#pragma once
// Bounded RRSIG verification: every (RRSIG, key) pair is one call to ldns_verify_rrsig_time,
// made in our own loop so that a budget caps the calls per RRset (KeyTrap, CVE-2023-50387).
// Cheap checks come first and cost nothing from the budget: type covered, owner, signer,
// label count, validity period, algorithm, and key tag.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/truth/dnssec_ldns.h"

namespace mxsentry::dnssec {

struct SignatureBudget {
  unsigned per_rrset = 16;           ///< ldns verify calls allowed for one RRset
  unsigned* shared = nullptr;        ///< calls left over several RRsets (a denial proof), or null
  std::atomic<std::uint64_t>* counter = nullptr;  ///< incremented once per ldns verify call
};

struct SignatureOutcome {
  bool valid = false;
  bool exhausted = false;  ///< stopped by the budget
  bool wildcard = false;   ///< valid through a wildcard RRSIG (labels below the owner's count)
  Rr signature;            ///< a copy of the RRSIG that verified
  std::string reason;      ///< why not valid (distinct reasons joined with "; ")
};

/// Is `rrset` (one RRset) signed at `now` by one of `keys` through an RRSIG in `rrsigs` whose
/// signer is `signer`? RRSIGs for other RRsets are ignored. `keys` are DNSKEYs; unusable ones
/// (not a zone key, revoked, unsupported algorithm) are never tried.
SignatureOutcome verify_signatures(const ldns_rr_list* rrset, const ldns_rr_list* rrsigs, const ldns_rdf* signer,
                                   const std::vector<const ldns_rr*>& keys, std::uint32_t now,
                                   SignatureBudget& budget);

/// The RRSIGs in `rrsigs` that cover `rrset`'s owner and type (signer not checked), deep-copied.
RrList covering_signatures(const ldns_rr_list* rrsigs, const ldns_rdf* owner, std::uint16_t type);

}  // namespace mxsentry::dnssec
