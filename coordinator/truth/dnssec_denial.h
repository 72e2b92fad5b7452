#pragma once
// NSEC and NSEC3 denial-of-existence proofs over records whose signatures are already verified.
// ldns does the proofs (ldns_dnssec_verify_denial, ldns_dnssec_verify_denial_nsec3); the checks
// ldns 1.8.3 leaves out are added here: NXDOMAIN versus NODATA, empty non-terminals, the
// closest encloser's wildcard, delegation and DNAME records on the wrong side of a zone cut,
// NSEC3 opt-out, NSEC3 parameters, and the RFC 9276 iteration limit (checked before any hash).

#include <atomic>
#include <cstdint>

#include "coordinator/truth/dnssec_ldns.h"
#include "coordinator/truth/dnssec_status.h"

namespace mxsentry::dnssec {

enum class DenialKind {
  nxdomain,  ///< qname does not exist
  nodata,    ///< qname exists without qtype
  no_ds,     ///< the delegation to qname has no DS (a referral from the parent `zone`)
};

struct DenialQuestion {
  const ldns_rdf* zone = nullptr;   ///< the signing zone (canonical)
  const ldns_rdf* qname = nullptr;  ///< canonical, at or below zone
  std::uint16_t qtype = 0;          ///< ignored for no_ds (DS)
  DenialKind kind = DenialKind::nxdomain;
};

/// Proves with NSEC records (canonical copies, all at or below the zone) and the verified RRSIGs
/// that cover them (ldns reads their label count for the wildcard rule).
Verdict prove_with_nsec(const DenialQuestion& question, const ldns_rr_list* nsecs, const ldns_rr_list* rrsigs);

/// Proves with NSEC3 records (canonical copies, owners one label below the zone). Returns
/// insecure without hashing when the iterations exceed `max_iterations`. Every hash computed
/// and every ldns NSEC3 proof call adds one to `hashes`.
Verdict prove_with_nsec3(const DenialQuestion& question, const ldns_rr_list* nsec3s, unsigned max_iterations,
                         std::atomic<std::uint64_t>& hashes);

}  // namespace mxsentry::dnssec
