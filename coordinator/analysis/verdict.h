#pragma once
// What the analysis says about one observation: a verdict class, how sure it is, and the
// evidence behind it (docs/detection.md explains every code and rule).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prober/core/observation.h"
#include "protocol/dns/endpoint.h"

namespace mxsentry {

/// not_asked: the task was refused on purpose (opt-out, private address): nothing is known
/// of the resolver, and nothing is wrong with it.
/// Sweeps store classes and evidence as these enumerators' numbers (coordinator/sweep/
/// stored_judgment.h): add new ones at the end, never reorder.
enum class VerdictClass { consistent, variation, suspicious, poisoned, failed, unreachable, unknown, not_asked };

enum class Evidence {
  match,                    ///< every answer record is in the authoritative truth
  cname_match,              ///< the answer went through the truth's CNAME chain
  not_in_truth,             ///< a record no authoritative server gave
  same_asn,                 ///< an unmatched address is in an AS that serves the truth
  same_prefix,              ///< an unmatched address shares a prefix with a truth address
  asn_mismatch,             ///< an unmatched address is in none of the truth's ASes
  ttl_above_authoritative,  ///< a TTL above the authoritative one: a cache only counts down
  rare_answer,              ///< few resolvers return it (CDN answers spread evenly)
  bogon,                    ///< a special-purpose address where the truth has public ones
  ioc_listed,               ///< an address on an indicator-of-compromise list
  dnssec_valid,             ///< the resolver's answer carries valid signatures of the zone
  dnssec_bogus,             ///< secure zone, differing data without valid signatures
  dnssec_stripped,          ///< secure zone, matching data but no signatures passed on
  servfail_secure,          ///< SERVFAIL on a name of a secure zone (a validator refusing a forgery?)
  multi_response,           ///< a second, differing response arrived for the same query
  record_mismatch,          ///< MX or NS targets differ from the truth's
  vantage_local,            ///< seen from one vantage only
  cached_forgery,           ///< asked again later: the same forged data, its TTL counting down
  fresh_ttl,                ///< asked again later: forged data with a fresh TTL (injection)
  reasked_elsewhere,        ///< asked again by another vantage than the first (that one gone)
  rcode_mismatch,           ///< REFUSED/SERVFAIL/NXDOMAIN/no data where the truth has data, or the reverse
  no_response,              ///< nothing (or nothing well-formed) came back
  no_truth,                 ///< the authoritative servers gave no answer to compare with
  reverified_authoritative, ///< asked again, the authoritative servers now give this record
  // Passive analysis (mxsentry passive): sensors compared with each other, not with a truth.
  sensor_conflict,          ///< at the same time, other sensors saw the name without this record (a minority answer)
  sensors_agree,            ///< more than half the sensors that saw the name at the time saw this record
  renumbered,               ///< every sensor switched to (or from) this record once, within the switch window
  even_spread,              ///< the name's answers change at most of its sensors (a CDN's rotation)
  stable_split,             ///< a group of sensors that saw only this record for the name (geo-DNS)
  // Why a task was not asked (one code per NotAskedReason, named alike): decide the verdict not-asked.
  opt_out,                  ///< on the prober's opt-out lists
  opt_out_coordinator,      ///< on the coordinator's opt-out lists when the unit was dispatched
  private_refused,          ///< a private or special-purpose address the vantage does not ask
  bad_address,              ///< the task's resolver was not an address
};

const char* to_string(VerdictClass verdict);
std::optional<VerdictClass> verdict_class_from_string(const std::string& text);
const char* to_string(Evidence evidence);
std::optional<Evidence> evidence_from_string(const std::string& text);
/// Every evidence code, in declaration order (for documentation and configuration checks).
const std::vector<Evidence>& all_evidence();
/// The evidence code that says a task was not asked for `reason`.
Evidence not_asked_evidence(NotAskedReason reason);
/// Whether `e` says the task was not asked (and so decides the verdict not-asked).
bool is_not_asked_evidence(Evidence e);

struct Verdict {
  std::string vantage;
  Endpoint resolver;
  std::string qname;
  std::uint16_t qtype = 0;
  VerdictClass verdict = VerdictClass::unknown;
  double confidence = 0;
  std::vector<Evidence> evidence;
  std::vector<std::string> observed;  ///< the resolver's answer rdata (final type, after CNAMEs)
  std::vector<std::string> expected;  ///< the truth's rdata for the same
  std::uint32_t ttl = 0;              ///< highest TTL the resolver gave
  std::uint32_t expected_ttl = 0;     ///< highest TTL the authoritative servers gave
  std::string dnssec;                 ///< the zone's status: secure, insecure, bogus, indeterminate
  int rcode = -1;
  std::string attack;                 ///< for flagged verdicts: "cache" or "injection" when re-asking told them apart
  std::string reasked_by;             ///< the vantage that asked again, when not `vantage` (reasked-elsewhere)

  bool has(Evidence e) const;
  bool flagged() const { return verdict == VerdictClass::suspicious || verdict == VerdictClass::poisoned; }
  /// An answer (or a failure where the truth has data) was compared with the truth: not
  /// unknown, unreachable or not-asked.
  bool compared() const {
    return verdict != VerdictClass::unknown && verdict != VerdictClass::unreachable &&
           verdict != VerdictClass::not_asked;
  }
};

/// The attack a flagged verdict's evidence names (DESIGN section 4): "cache" when re-asking saw
/// the forged TTL count down, "injection" when it came fresh or beside the real answer; ""
/// for any other verdict.
std::string attack_named_by(const Verdict& verdict);

/// A check's exit status for its verdicts: 1 when one is flagged, else 3 when none could be
/// compared with the truth (nothing was checked: no authoritative answer, no resolver
/// reached), else 0.
int check_exit_status(const std::vector<Verdict>& verdicts);

}  // namespace mxsentry
