#include "coordinator/truth/dnssec_signature.h"

#include <algorithm>
#include <ctime>
#include <utility>

namespace mxsentry::dnssec {

namespace {

constexpr std::size_t kMaxReasons = 4;

void add_reason(std::vector<std::string>& reasons, std::string reason) {
  if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) reasons.push_back(std::move(reason));
}

std::string join(const std::vector<std::string>& reasons) {
  std::string out;
  for (std::size_t i = 0; i < reasons.size() && i < kMaxReasons; ++i) out += (i ? "; " : "") + reasons[i];
  if (reasons.size() > kMaxReasons) out += "; ...";
  return out;
}

bool well_formed_rrsig(const ldns_rr* sig) {
  if (ldns_rr_get_type(sig) != LDNS_RR_TYPE_RRSIG || ldns_rr_rd_count(sig) != 9) return false;
  static constexpr std::size_t sizes[] = {2, 1, 1, 4, 4, 4, 2};  // fixed-size fields 0..6
  for (std::size_t i = 0; i < 7; ++i)
    if (ldns_rdf_size(ldns_rr_rdf(sig, i)) != sizes[i]) return false;
  return ldns_rdf_get_type(ldns_rr_rdf(sig, 7)) == LDNS_RDF_TYPE_DNAME;
}

std::uint16_t covered_type(const ldns_rr* sig) { return ldns_rdf2native_int16(ldns_rr_rrsig_typecovered(sig)); }

// RFC 4034 3.1.5: serial number arithmetic on 32-bit times, as ldns does it.
const char* validity_problem(const ldns_rr* sig, std::uint32_t now) {
  const std::uint32_t inception = ldns_rdf2native_int32(ldns_rr_rrsig_inception(sig));
  const std::uint32_t expiration = ldns_rdf2native_int32(ldns_rr_rrsig_expiration(sig));
  if (static_cast<std::int32_t>(expiration - inception) < 0) return "expiration before inception";
  if (static_cast<std::int32_t>(now - inception) < 0) return "signature not yet valid";
  if (static_cast<std::int32_t>(expiration - now) < 0) return "signature expired";
  return nullptr;
}

std::string tag_text(std::uint16_t tag, std::uint8_t algorithm) {
  return "tag " + std::to_string(tag) + " alg " + std::to_string(algorithm);
}

}  // namespace

RrList covering_signatures(const ldns_rr_list* rrsigs, const ldns_rdf* owner, std::uint16_t type) {
  RrList out = new_list();
  for (std::size_t i = 0; rrsigs && i < ldns_rr_list_rr_count(rrsigs); ++i) {
    const ldns_rr* sig = ldns_rr_list_rr(rrsigs, i);
    if (well_formed_rrsig(sig) && covered_type(sig) == type && same_name(ldns_rr_owner(sig), owner))
      push_copy(out.get(), sig);
  }
  return out;
}

SignatureOutcome verify_signatures(const ldns_rr_list* rrset, const ldns_rr_list* rrsigs, const ldns_rdf* signer,
                                   const std::vector<const ldns_rr*>& keys, std::uint32_t now,
                                   SignatureBudget& budget) {
  SignatureOutcome out;
  if (std::string problem = rrset_problem(rrset); !problem.empty()) {
    out.reason = problem;
    return out;
  }
  const ldns_rr* first = ldns_rr_list_rr(rrset, 0);
  const ldns_rdf* owner = ldns_rr_owner(first);
  const auto type = static_cast<std::uint16_t>(ldns_rr_get_type(first));
  const unsigned owner_labels = ldns_dname_label_count(owner);

  // ldns canonicalises the RRSIG it is given in place (through a const pointer) and clones the
  // RRset itself, so it gets private copies and the caller's lists stay untouched.
  RrList sigs = covering_signatures(rrsigs, owner, type);
  RrList set = canonical_copy(rrset);
  // Key tags once per call: ldns_calc_keytag serialises the key each time.
  std::vector<std::pair<const ldns_rr*, std::uint16_t>> usable;
  for (const ldns_rr* key : keys)
    if (key_usable(key)) usable.emplace_back(key, ldns_calc_keytag(key));
  std::vector<std::string> reasons;
  unsigned used = 0;
  bool any_signer = false;

  for (std::size_t s = 0; s < ldns_rr_list_rr_count(sigs.get()); ++s) {
    ldns_rr* sig = ldns_rr_list_rr(sigs.get(), s);
    if (ldns_rr_get_class(sig) != ldns_rr_get_class(first)) continue;
    if (!same_name(ldns_rr_rrsig_signame(sig), signer)) {
      add_reason(reasons, "RRSIG signer " + to_text(ldns_rr_rrsig_signame(sig)) + " is not " + to_text(signer));
      continue;
    }
    any_signer = true;
    const std::uint8_t labels = ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig));
    if (labels > owner_labels) {
      add_reason(reasons, "RRSIG label count " + std::to_string(labels) + " above the owner's");
      continue;
    }
    const std::uint16_t tag = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig));
    const std::uint8_t algorithm = ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig));
    if (const char* problem = validity_problem(sig, now)) {
      add_reason(reasons, std::string(problem) + " (" + tag_text(tag, algorithm) + ")");
      continue;
    }
    if (!algorithm_supported(algorithm)) {
      add_reason(reasons, "unsupported algorithm " + std::to_string(algorithm));
      continue;
    }
    bool tried = false;
    for (const auto& [key, key_tag] : usable) {
      if (key_tag != tag || key_algorithm(key) != algorithm) continue;
      tried = true;
      if (used >= budget.per_rrset || (budget.shared && *budget.shared == 0)) {
        out.exhausted = true;
        out.reason = "too many signature checks (limit " + std::to_string(budget.per_rrset) + " per RRset" +
                     (budget.shared && *budget.shared == 0 ? ", shared limit reached" : "") + ")";
        if (!reasons.empty()) out.reason += "; " + join(reasons);
        return out;
      }
      ++used;
      if (budget.shared) --*budget.shared;
      if (budget.counter) budget.counter->fetch_add(1, std::memory_order_relaxed);
      // One key at a time; ldns only reads the key (its parameter is not const).
      const ldns_status status =
          ldns_verify_rrsig_time(set.get(), sig, const_cast<ldns_rr*>(key), static_cast<time_t>(now));
      if (status == LDNS_STATUS_OK) {
        out.valid = true;
        out.wildcard = labels < owner_labels;
        out.signature = Rr(ldns_rr_clone(sig));
        return out;
      }
      add_reason(reasons, "bad signature (" + tag_text(tag, algorithm) + "): " + ldns_get_errorstr_by_id(status));
    }
    if (!tried) add_reason(reasons, "no key with " + tag_text(tag, algorithm));
  }

  if (ldns_rr_list_rr_count(sigs.get()) == 0)
    out.reason = "no RRSIG for " + to_text(owner) + " " + type_text(type);
  else if (!any_signer && reasons.empty())
    out.reason = "no RRSIG by " + to_text(signer) + " for " + to_text(owner) + " " + type_text(type);
  else
    out.reason = join(reasons);
  return out;
}

}  // namespace mxsentry::dnssec
