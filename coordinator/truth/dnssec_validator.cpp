#include "coordinator/truth/dnssec_validator.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "coordinator/truth/dnssec_denial.h"
#include "coordinator/truth/dnssec_signature.h"

namespace mxsentry::dnssec {

const char* to_string(Status status) {
  switch (status) {
    case Status::secure: return "secure";
    case Status::insecure: return "insecure";
    case Status::bogus: return "bogus";
    case Status::indeterminate: return "indeterminate";
  }
  return "indeterminate";
}

namespace {

/// The canonical presentation form used as map key; empty for an invalid name.
std::string key_of(std::string_view name) {
  Rdf parsed = parse_name(name);
  return parsed ? to_text(parsed.get()) : std::string();
}

std::vector<const ldns_rr*> borrowed(const ldns_rr_list* list) {
  std::vector<const ldns_rr*> out;
  for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) out.push_back(ldns_rr_list_rr(list, i));
  return out;
}

struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::runtime_error anchor_error(const std::string& source, int line, const std::string& reason) {
  return std::runtime_error(source + ":" + std::to_string(line) + ": " + reason);
}

/// Verifies the NSEC/NSEC3 RRsets of a negative answer with `keys` (signer `zone`), then the proof.
Verdict check_denial(const Limits& limits, std::atomic<std::uint64_t>& checks, std::atomic<std::uint64_t>& hashes,
                     const DenialQuestion& question, const ldns_rr_list* denial, const ldns_rr_list* rrsigs,
                     std::uint32_t now, const ldns_rr_list* keys) {
  RrList records = canonical_copy(denial);
  RrList sigs = canonical_copy(rrsigs);
  RrList nsec = new_list(), nsec3 = new_list();
  std::size_t found = 0;
  const unsigned zone_labels = ldns_dname_label_count(question.zone);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(records.get()); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(records.get(), i);
    const ldns_rr_type type = ldns_rr_get_type(rr);
    if (type == LDNS_RR_TYPE_RRSIG) {
      push_copy(sigs.get(), rr);  // RRSIGs may come in the same list as the records
      continue;
    }
    if (type != LDNS_RR_TYPE_NSEC && type != LDNS_RR_TYPE_NSEC3) continue;  // SOA and the like
    if (++found > limits.max_denial_records)
      return {Status::bogus, "too many NSEC/NSEC3 records (limit " + std::to_string(limits.max_denial_records) + ")"};
    // Records of other zones cannot take part in this zone's proof; they are left out.
    const ldns_rdf* owner = ldns_rr_owner(rr);
    if (type == LDNS_RR_TYPE_NSEC && at_or_below(owner, question.zone) && ldns_rr_rd_count(rr) >= 1)
      push_copy(nsec.get(), rr);
    if (type == LDNS_RR_TYPE_NSEC3 && strictly_below(owner, question.zone) &&
        ldns_dname_label_count(owner) == zone_labels + 1 && ldns_rr_rd_count(rr) >= 5)
      push_copy(nsec3.get(), rr);
  }
  const std::size_t n_nsec = ldns_rr_list_rr_count(nsec.get()), n_nsec3 = ldns_rr_list_rr_count(nsec3.get());
  if (n_nsec == 0 && n_nsec3 == 0) return {Status::bogus, "no NSEC or NSEC3 record of " + to_text(question.zone)};
  if (n_nsec && n_nsec3) return {Status::bogus, "both NSEC and NSEC3 records"};
  ldns_rr_list* used = n_nsec ? nsec.get() : nsec3.get();

  // Each record's RRset must verify; the budget is per RRset and over the whole proof.
  const std::vector<const ldns_rr*> key_list = borrowed(keys);
  RrList verified_sigs = new_list();
  unsigned shared = limits.max_signature_checks_per_denial;
  std::vector<bool> done(ldns_rr_list_rr_count(used), false);
  for (std::size_t i = 0; i < done.size(); ++i) {
    if (done[i]) continue;
    const ldns_rr* head = ldns_rr_list_rr(used, i);
    RrList rrset = new_list();
    for (std::size_t j = i; j < done.size(); ++j) {
      const ldns_rr* rr = ldns_rr_list_rr(used, j);
      if (!done[j] && same_name(ldns_rr_owner(rr), ldns_rr_owner(head))) {
        push_copy(rrset.get(), rr);
        done[j] = true;
      }
    }
    SignatureBudget budget{limits.max_signature_checks_per_rrset, &shared, &checks};
    SignatureOutcome outcome = verify_signatures(rrset.get(), sigs.get(), question.zone, key_list, now, budget);
    const std::string what = type_text(ldns_rr_get_type(head)) + " " + to_text(ldns_rr_owner(head));
    if (!outcome.valid) return {Status::bogus, what + ": " + outcome.reason};
    if (outcome.wildcard && !ldns_dname_is_wildcard(ldns_rr_owner(head)))
      return {Status::bogus, what + " is signed as a wildcard expansion"};
    push_copy(verified_sigs.get(), outcome.signature.get());
  }
  if (n_nsec) return prove_with_nsec(question, used, verified_sigs.get());
  return prove_with_nsec3(question, used, limits.max_nsec3_iterations, hashes);
}

}  // namespace

Validator::Validator(Limits limits) : limits_(limits) {}
Validator::~Validator() = default;

Validator::Validator(Validator&& other) noexcept
    : limits_(other.limits_), zones_(std::move(other.zones_)), anchors_(std::move(other.anchors_)),
      signature_checks_(other.signature_checks()), nsec3_hashes_(other.nsec3_hash_computations()) {}

Validator& Validator::operator=(Validator&& other) noexcept {
  limits_ = other.limits_;
  zones_ = std::move(other.zones_);
  anchors_ = std::move(other.anchors_);
  signature_checks_.store(other.signature_checks(), std::memory_order_relaxed);
  nsec3_hashes_.store(other.nsec3_hash_computations(), std::memory_order_relaxed);
  return *this;
}

// ---- trust anchors ----

void Validator::add_trust_anchors(std::string_view text, const std::string& source) {
  std::string buffer(text);
  if (buffer.empty() || buffer.back() != '\n') buffer.push_back('\n');  // ldns counts lines by their newline
  std::unique_ptr<std::FILE, FileClose> fp(fmemopen(buffer.data(), buffer.size(), "r"));
  if (!fp) throw std::runtime_error(source + ": cannot read: " + std::strerror(errno));

  // ldns replaces *origin and *prev as it reads ($ORIGIN, owner inheritance); we own the last ones.
  struct ParseState {
    ldns_rdf* origin = nullptr;
    ldns_rdf* prev = nullptr;
    ~ParseState() {
      ldns_rdf_deep_free(origin);
      ldns_rdf_deep_free(prev);
    }
  } state;
  std::uint32_t ttl = 3600;
  int line = 1;
  std::map<std::string, Anchor> staged;
  std::size_t records = 0;
  while (!std::feof(fp.get())) {
    ldns_rr* raw = nullptr;
    const ldns_status status = ldns_rr_new_frm_fp_l(&raw, fp.get(), &ttl, &state.origin, &state.prev, &line);
    Rr rr(raw);
    if (status == LDNS_STATUS_SYNTAX_EMPTY || status == LDNS_STATUS_SYNTAX_TTL || status == LDNS_STATUS_SYNTAX_ORIGIN)
      continue;
    const int at = line > 1 ? line - 1 : 1;  // ldns has already counted the record's own newline
    if (status != LDNS_STATUS_OK) throw anchor_error(source, at, ldns_get_errorstr_by_id(status));
    if (!rr) throw anchor_error(source, at, "no record");
    if (ldns_rr_get_class(rr.get()) != LDNS_RR_CLASS_IN) throw anchor_error(source, at, "class is not IN");
    ldns_rr2canonical(rr.get());
    Anchor& anchor = staged[to_text(ldns_rr_owner(rr.get()))];
    switch (ldns_rr_get_type(rr.get())) {
      case LDNS_RR_TYPE_DS:
        if (!ds_well_formed(rr.get())) throw anchor_error(source, at, "malformed DS record");
        if (!anchor.ds) anchor.ds = new_list();
        if (!contains_rr(anchor.ds.get(), rr.get())) push_copy(anchor.ds.get(), rr.get());
        break;
      case LDNS_RR_TYPE_DNSKEY: {
        const std::uint16_t flags = key_flags(rr.get());
        if (ldns_rr_rd_count(rr.get()) != 4 || !(flags & LDNS_KEY_ZONE_KEY))
          throw anchor_error(source, at, "DNSKEY is not a zone key");
        if (flags & LDNS_KEY_REVOKE_KEY) throw anchor_error(source, at, "DNSKEY is revoked");
        if (!anchor.dnskeys) anchor.dnskeys = new_list();
        if (!contains_rr(anchor.dnskeys.get(), rr.get())) push_copy(anchor.dnskeys.get(), rr.get());
        break;
      }
      default:
        throw anchor_error(source, at, "not a DS or DNSKEY record (" + type_text(ldns_rr_get_type(rr.get())) + ")");
    }
    ++records;
  }
  if (records == 0) throw anchor_error(source, line > 1 ? line - 1 : 1, "no DS or DNSKEY record");

  for (auto& [zone, anchor] : staged) {
    Anchor& into = anchors_[zone];
    for (auto [from, to] : {std::pair{&anchor.ds, &into.ds}, std::pair{&anchor.dnskeys, &into.dnskeys}}) {
      if (!*from) continue;
      if (!*to) *to = new_list();
      for (const ldns_rr* rr : borrowed(from->get()))
        if (!contains_rr(to->get(), rr)) push_copy(to->get(), rr);
    }
  }
}

void Validator::load_trust_anchor_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  add_trust_anchors(text.str(), path);
}

bool Validator::has_trust_anchor(const std::string& zone) const {
  const std::string key = key_of(zone);
  return !key.empty() && anchors_.count(key) != 0;
}

// ---- zone state ----

Status Validator::status_of(const std::string& key, std::string* reason) const {
  auto say = [&](Status s, std::string why) {
    if (reason) *reason = std::move(why);
    return s;
  };
  if (key.empty()) return say(Status::indeterminate, "invalid zone name");
  if (auto it = zones_.find(key); it != zones_.end()) {
    if (it->second.status != Status::indeterminate || it->second.ds) return say(it->second.status, it->second.reason);
  }
  if (anchors_.count(key)) return say(Status::indeterminate, "trust anchor, DNSKEY RRset not yet accepted");
  // Nothing recorded here: everything below an insecure cut is insecure, unless a trust anchor
  // or a recorded secure/bogus zone lies in between.
  for (Rdf name = parse_name(key); name && ldns_dname_label_count(name.get()) > 0;) {
    name = Rdf(ldns_dname_left_chop(name.get()));
    if (!name) break;
    const std::string up = to_text(name.get());
    if (auto it = zones_.find(up); it != zones_.end() && (it->second.status != Status::indeterminate || it->second.ds)) {
      if (it->second.status == Status::insecure) return say(Status::insecure, "below the insecure zone " + up);
      break;
    }
    if (anchors_.count(up)) break;
  }
  return say(Status::indeterminate, "nothing known about " + key);
}

Validator::ZoneEntry& Validator::entry(const std::string& key) { return zones_[key]; }

void Validator::set_status(const std::string& key, Status status, const std::string& reason) {
  ZoneEntry& e = entry(key);
  e.status = status;
  e.reason = reason;
  if (status != Status::secure) e.keys.reset();
}

Verdict Validator::fail_child(const std::string& child, Status status, const std::string& reason) {
  const bool secure = status_of(child, nullptr) == Status::secure;
  const bool island = status == Status::insecure && anchors_.count(child);
  if (!secure && !island) set_status(child, status, reason);
  return {status, reason};
}

bool Validator::parent_is_secure(const std::string& child, const std::string& parent, Verdict& out) {
  std::string why;
  switch (status_of(parent, &why)) {
    case Status::secure: return true;
    case Status::insecure: out = fail_child(child, Status::insecure, "parent " + parent + " is insecure"); return false;
    case Status::bogus: out = fail_child(child, Status::bogus, "parent " + parent + " is bogus: " + why); return false;
    case Status::indeterminate: out = {Status::indeterminate, "nothing known about the parent " + parent}; return false;
  }
  return false;
}

Status Validator::zone_status(const std::string& zone) const { return status_of(key_of(zone), nullptr); }

std::string Validator::zone_reason(const std::string& zone) const {
  std::string reason;
  status_of(key_of(zone), &reason);
  return reason;
}

RrList Validator::zone_keys(const std::string& zone) const {
  auto it = zones_.find(key_of(zone));
  if (it == zones_.end() || it->second.status != Status::secure || !it->second.keys) return new_list();
  return canonical_copy(it->second.keys.get());
}

void Validator::inherit_insecure(const std::string& zone, const std::string& ancestor) {
  const std::string zkey = key_of(zone), akey = key_of(ancestor);
  Rdf z = parse_name(zkey), a = parse_name(akey);
  if (!z || !a || !strictly_below(z.get(), a.get()))
    throw std::invalid_argument("inherit_insecure: " + zone + " is not below " + ancestor);
  if (status_of(akey, nullptr) != Status::insecure)
    throw std::invalid_argument("inherit_insecure: " + ancestor + " is not insecure");
  if (anchors_.count(zkey) || status_of(zkey, nullptr) == Status::secure) return;  // an island of security
  set_status(zkey, Status::insecure, "below the insecure zone " + akey);
}

// ---- the chain of trust ----

Verdict Validator::accept_dnskeys(const std::string& zone, const ldns_rr_list* dnskeys, const ldns_rr_list* rrsigs,
                                  std::uint32_t now) {
  const std::string key = key_of(zone);
  if (key.empty()) return {Status::indeterminate, "invalid zone name '" + zone + "'"};
  const Rdf name = parse_name(key);
  std::string why;
  const Status current = status_of(key, &why);
  const auto anchor = anchors_.find(key);
  const Anchor* ta = anchor == anchors_.end() ? nullptr : &anchor->second;
  if (current == Status::insecure && !ta) return {Status::insecure, "zone is insecure: " + why};
  const auto known = zones_.find(key);
  const ldns_rr_list* accepted_ds = known == zones_.end() ? nullptr : known->second.ds.get();
  if (!ta && !accepted_ds) return {Status::indeterminate, "no DS or trust anchor for " + key};

  auto fail = [&](const std::string& reason) -> Verdict {
    if (current != Status::secure) set_status(key, Status::bogus, reason);
    return {Status::bogus, reason};
  };
  RrList keys = canonical_copy(dnskeys);
  if (std::string problem = rrset_problem(keys.get()); !problem.empty()) return fail("DNSKEY RRset: " + problem);
  const ldns_rr* first = ldns_rr_list_rr(keys.get(), 0);
  if (ldns_rr_get_type(first) != LDNS_RR_TYPE_DNSKEY || !same_name(ldns_rr_owner(first), name.get()))
    return fail("not the DNSKEY RRset of " + key + ": " + rr_text(first));

  // The DS records and anchor keys that can make a key trusted (RFC 4035 5.2; RFC 4509 3:
  // SHA-1 digests are ignored when a stronger one is present).
  std::vector<const ldns_rr*> ds_records = borrowed(ta ? ta->ds.get() : nullptr);
  for (const ldns_rr* ds : borrowed(accepted_ds)) ds_records.push_back(ds);
  std::vector<const ldns_rr*> usable_ds;
  bool strong = false;
  for (const ldns_rr* ds : ds_records) {
    if (!ds_well_formed(ds) || !digest_supported(ds_digest_type(ds)) || !algorithm_supported(ds_algorithm(ds))) continue;
    usable_ds.push_back(ds);
    strong = strong || ds_digest_type(ds) != LDNS_SHA1;
  }
  if (strong) std::erase_if(usable_ds, [](const ldns_rr* ds) { return ds_digest_type(ds) == LDNS_SHA1; });
  std::vector<const ldns_rr*> trusted;
  for (const ldns_rr* k : borrowed(ta ? ta->dnskeys.get() : nullptr))
    if (key_usable(k)) trusted.push_back(k);
  if (usable_ds.empty() && trusted.empty()) {
    const std::string reason = "no DS or trust anchor of " + key + " with a supported algorithm and digest";
    if (current != Status::secure) set_status(key, Status::insecure, reason);
    return {Status::insecure, reason};
  }

  // The RRset's keys considered (bounded), and which of them a DS vouches for.
  std::vector<const ldns_rr*> considered;
  for (const ldns_rr* k : borrowed(keys.get()))
    if (key_usable(k) && considered.size() < limits_.max_keys_per_zone) considered.push_back(k);
  std::vector<const ldns_rr*> matched;
  unsigned digests = 0;
  bool digest_limit = false;
  for (const ldns_rr* k : considered) {
    const std::uint16_t tag = ldns_calc_keytag(k);
    for (const ldns_rr* ds : usable_ds) {
      if (ds_key_tag(ds) != tag || ds_algorithm(ds) != key_algorithm(k)) continue;
      if (digests >= limits_.max_ds_digests) {
        digest_limit = true;
        break;
      }
      ++digests;
      if (ldns_rr_compare_ds(ds, k)) {
        matched.push_back(k);
        break;
      }
    }
  }
  trusted.insert(trusted.end(), matched.begin(), matched.end());
  if (trusted.empty()) {
    std::string tags;
    for (const ldns_rr* ds : usable_ds) tags += (tags.empty() ? "" : ", ") + std::to_string(ds_key_tag(ds));
    return fail(digest_limit ? "too many DS digests to compute (limit " + std::to_string(limits_.max_ds_digests) + ")"
                             : "DS matches no DNSKEY of " + key + " (DS tags " + tags + ")");
  }

  SignatureBudget budget{limits_.max_signature_checks_per_rrset, nullptr, &signature_checks_};
  const SignatureOutcome outcome = verify_signatures(keys.get(), rrsigs, name.get(), trusted, now, budget);
  if (!outcome.valid) return fail("DNSKEY RRset of " + key + " not signed by a trusted key: " + outcome.reason);
  if (outcome.wildcard) return fail("DNSKEY RRset of " + key + " signed as a wildcard");

  // Keep the vouched-for keys first, then the others, then those kept before (a rollover seen
  // from different servers), up to the limit.
  ZoneEntry& e = entry(key);
  RrList kept = new_list();
  auto keep = [&](const ldns_rr* k) {
    if (ldns_rr_list_rr_count(kept.get()) < limits_.max_keys_per_zone && !contains_rr(kept.get(), k))
      push_copy(kept.get(), k);
  };
  for (const ldns_rr* k : matched) keep(k);
  for (const ldns_rr* k : considered) keep(k);
  if (e.status == Status::secure)
    for (const ldns_rr* k : borrowed(e.keys.get())) keep(k);
  e.keys = std::move(kept);
  e.status = Status::secure;
  e.reason.clear();
  return {Status::secure, {}};
}

Verdict Validator::accept_ds(const std::string& child, const std::string& parent, const ldns_rr_list* ds,
                             const ldns_rr_list* rrsigs, std::uint32_t now) {
  const std::string ckey = key_of(child), pkey = key_of(parent);
  Rdf c = parse_name(ckey), p = parse_name(pkey);
  if (!c || !p || !strictly_below(c.get(), p.get())) return {Status::bogus, child + " is not below " + parent};
  Verdict out;
  if (!parent_is_secure(ckey, pkey, out)) return out;

  RrList set = canonical_copy(ds);
  if (std::string problem = rrset_problem(set.get()); !problem.empty())
    return fail_child(ckey, Status::bogus, "DS RRset of " + ckey + ": " + problem);
  const ldns_rr* first = ldns_rr_list_rr(set.get(), 0);
  if (ldns_rr_get_type(first) != LDNS_RR_TYPE_DS || !same_name(ldns_rr_owner(first), c.get()))
    return fail_child(ckey, Status::bogus, "not the DS RRset of " + ckey + ": " + rr_text(first));

  SignatureBudget budget{limits_.max_signature_checks_per_rrset, nullptr, &signature_checks_};
  const SignatureOutcome outcome =
      verify_signatures(set.get(), rrsigs, p.get(), borrowed(zones_.at(pkey).keys.get()), now, budget);
  if (!outcome.valid) return fail_child(ckey, Status::bogus, "DS RRset of " + ckey + ": " + outcome.reason);
  if (outcome.wildcard) return fail_child(ckey, Status::bogus, "DS RRset of " + ckey + " signed as a wildcard");

  bool usable = false;
  for (const ldns_rr* d : borrowed(set.get()))
    usable = usable || (ds_well_formed(d) && digest_supported(ds_digest_type(d)) && algorithm_supported(ds_algorithm(d)));
  if (!usable) return fail_child(ckey, Status::insecure, "no DS of " + ckey + " with a supported algorithm and digest");

  ZoneEntry& e = entry(ckey);
  if (!e.ds) e.ds = new_list();
  for (const ldns_rr* d : borrowed(set.get()))
    if (!contains_rr(e.ds.get(), d)) push_copy(e.ds.get(), d);
  if (e.status != Status::secure) {
    e.status = Status::indeterminate;
    e.reason = "DS accepted, DNSKEY RRset not yet";
  }
  return {Status::secure, {}};
}

Verdict Validator::accept_no_ds(const std::string& child, const std::string& parent, const ldns_rr_list* denial,
                                const ldns_rr_list* rrsigs, std::uint32_t now) {
  const std::string ckey = key_of(child), pkey = key_of(parent);
  Rdf c = parse_name(ckey), p = parse_name(pkey);
  if (!c || !p || !strictly_below(c.get(), p.get())) return {Status::bogus, child + " is not below " + parent};
  Verdict out;
  if (!parent_is_secure(ckey, pkey, out)) return out;

  const DenialQuestion question{p.get(), c.get(), LDNS_RR_TYPE_DS, DenialKind::no_ds};
  const Verdict proof = check_denial(limits_, signature_checks_, nsec3_hashes_, question, denial, rrsigs, now,
                                     zones_.at(pkey).keys.get());
  if (proof.status == Status::insecure) return fail_child(ckey, Status::insecure, proof.reason);
  return fail_child(ckey, Status::bogus, "no-DS proof for " + ckey + ": " + proof.reason);
}

// ---- checking data ----

namespace {

Verdict gate(Status status, const std::string& key, const std::string& why) {
  switch (status) {
    case Status::insecure: return {Status::insecure, "zone " + key + " is insecure: " + why};
    case Status::bogus: return {Status::bogus, "zone " + key + " is bogus: " + why};
    default: return {Status::indeterminate, why.empty() ? "nothing known about " + key : why};
  }
}

}  // namespace

Verdict Validator::verify_rrset(const std::string& zone, const ldns_rr_list* rrset, const ldns_rr_list* rrsigs,
                                std::uint32_t now) const {
  const std::string key = key_of(zone);
  std::string why;
  if (const Status s = status_of(key, &why); s != Status::secure) return gate(s, key.empty() ? zone : key, why);
  const Rdf name = parse_name(key);
  if (std::string problem = rrset_problem(rrset); !problem.empty()) return {Status::bogus, problem};
  const ldns_rdf* owner = ldns_rr_owner(ldns_rr_list_rr(rrset, 0));
  if (!at_or_below(owner, name.get())) return {Status::bogus, to_text(owner) + " is not in the zone " + key};

  SignatureBudget budget{limits_.max_signature_checks_per_rrset, nullptr, &signature_checks_};
  SignatureOutcome outcome = verify_signatures(rrset, rrsigs, name.get(), borrowed(zones_.at(key).keys.get()), now, budget);
  if (!outcome.valid) return {Status::bogus, outcome.reason};
  Verdict v{Status::secure, {}, outcome.wildcard};
  if (outcome.wildcard) v.reason = "wildcard expansion: secure only with a proof that the name does not exist";
  return v;
}

Verdict Validator::verify_rrset_text(const std::string& zone, const std::vector<std::string>& rrset,
                                     const std::vector<std::string>& rrsigs, std::uint32_t now) const {
  const std::string key = key_of(zone);
  std::string why;
  if (const Status s = status_of(key, &why); s != Status::secure) return gate(s, key.empty() ? zone : key, why);
  RrList set = new_list(), sigs = new_list();
  for (auto [texts, list] : {std::pair{&rrset, set.get()}, std::pair{&rrsigs, sigs.get()}}) {
    for (const std::string& text : *texts) {
      ldns_rr* raw = nullptr;
      const ldns_status status = ldns_rr_new_frm_str(&raw, text.c_str(), 0, nullptr, nullptr);
      Rr rr(raw);
      if (status != LDNS_STATUS_OK || !rr)
        return {Status::bogus, "cannot parse '" + text + "': " + ldns_get_errorstr_by_id(status)};
      if (!ldns_rr_list_push_rr(list, rr.get())) throw std::bad_alloc();
      rr.release();  // the list owns it
    }
  }
  return verify_rrset(zone, set.get(), sigs.get(), now);
}

Verdict Validator::verify_denial(const std::string& zone, const std::string& qname, std::uint16_t qtype,
                                 bool nxdomain, const ldns_rr_list* denial, const ldns_rr_list* rrsigs,
                                 std::uint32_t now) const {
  const std::string key = key_of(zone);
  std::string why;
  if (const Status s = status_of(key, &why); s != Status::secure) return gate(s, key.empty() ? zone : key, why);
  const Rdf name = parse_name(key);
  const Rdf q = parse_name(qname);
  if (!q) return {Status::bogus, "invalid name '" + qname + "'"};
  if (!at_or_below(q.get(), name.get())) return {Status::bogus, qname + " is not in the zone " + key};
  const DenialQuestion question{name.get(), q.get(), qtype, nxdomain ? DenialKind::nxdomain : DenialKind::nodata};
  return check_denial(limits_, signature_checks_, nsec3_hashes_, question, denial, rrsigs, now,
                      zones_.at(key).keys.get());
}

}  // namespace mxsentry::dnssec
