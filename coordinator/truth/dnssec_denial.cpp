#include "coordinator/truth/dnssec_denial.h"

#include <new>
#include <string>

namespace mxsentry::dnssec {

namespace {

struct ShallowListFree {
  void operator()(ldns_rr_list* list) const { ldns_rr_list_free(list); }
};
/// A list that borrows its records.
using ShallowList = std::unique_ptr<ldns_rr_list, ShallowListFree>;

ShallowList shallow_list() {
  ShallowList list(ldns_rr_list_new());
  if (!list) throw std::bad_alloc();
  return list;
}

Rdf clone_name(const ldns_rdf* name) {
  Rdf copy(ldns_rdf_clone(name));
  if (!copy) throw std::bad_alloc();
  return copy;
}

/// The question as the RR ldns's proof functions take (owner and type only).
Rr query_rr(const ldns_rdf* qname, std::uint16_t qtype) {
  Rr q(ldns_rr_new());
  if (!q) throw std::bad_alloc();
  ldns_rr_set_owner(q.get(), clone_name(qname).release());
  ldns_rr_set_type(q.get(), static_cast<ldns_rr_type>(qtype));
  ldns_rr_set_class(q.get(), LDNS_RR_CLASS_IN);
  return q;
}

bool has_type(const ldns_rr* record, std::uint16_t type) {
  return ldns_nsec_bitmap_covers_type(ldns_nsec_get_bitmap(record), static_cast<ldns_rr_type>(type));
}

/// "*." + name.
Rdf wildcard_of(const ldns_rdf* name) {
  Rdf w(ldns_dname_new_frm_str("*"));
  if (!w || ldns_dname_cat(w.get(), name) != LDNS_STATUS_OK) throw std::bad_alloc();
  return w;
}

/// The longest name that `a` and `b` both are at or below.
Rdf common_ancestor(const ldns_rdf* a, const ldns_rdf* b) {
  Rdf candidate = clone_name(a);
  while (ldns_dname_label_count(candidate.get()) > 0 && !at_or_below(b, candidate.get())) {
    Rdf up(ldns_dname_left_chop(candidate.get()));
    if (!up) throw std::bad_alloc();
    candidate = std::move(up);
  }
  return candidate;
}

/// Type-bitmap checks for the record that matches qname exactly (NSEC or NSEC3): empty when it
/// proves "no qtype here", otherwise why not.
std::string exact_match_problem(const ldns_rr* record, std::uint16_t qtype, const std::string& qname) {
  if (has_type(record, qtype)) return "the denial record at " + qname + " lists " + type_text(qtype);
  if (qtype != LDNS_RR_TYPE_CNAME && has_type(record, LDNS_RR_TYPE_CNAME))
    return "the denial record at " + qname + " lists a CNAME";
  const bool ns = has_type(record, LDNS_RR_TYPE_NS), soa = has_type(record, LDNS_RR_TYPE_SOA);
  if (qtype == LDNS_RR_TYPE_DS && soa) return "the denial record at " + qname + " is the child zone's apex";
  if (qtype != LDNS_RR_TYPE_DS && ns && !soa)
    return "the denial record at " + qname + " is a delegation (the parent cannot deny the child's data)";
  return {};
}

/// For a no-DS proof: the record at the child must show a delegation without DS.
std::string no_ds_problem(const ldns_rr* record, const std::string& child) {
  if (has_type(record, LDNS_RR_TYPE_DS)) return "the denial record at " + child + " lists a DS";
  if (has_type(record, LDNS_RR_TYPE_SOA)) return "the denial record at " + child + " is the child zone's apex";
  if (!has_type(record, LDNS_RR_TYPE_NS)) return "the denial record at " + child + " shows no delegation (no NS)";
  if (has_type(record, LDNS_RR_TYPE_CNAME)) return "the denial record at " + child + " lists a CNAME";
  return {};
}

Verdict bogus(std::string reason) { return {Status::bogus, std::move(reason)}; }

// ---- NSEC (RFC 4035 3.1.3, 5.4) ----

const ldns_rr* nsec_at(const ldns_rr_list* nsecs, const ldns_rdf* name) {
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(nsecs); ++i)
    if (same_name(ldns_rr_owner(ldns_rr_list_rr(nsecs, i)), name)) return ldns_rr_list_rr(nsecs, i);
  return nullptr;
}

/// An NSEC whose span holds `name` without being its owner.
const ldns_rr* nsec_covering(const ldns_rr_list* nsecs, const ldns_rdf* name) {
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(nsecs); ++i) {
    const ldns_rr* nsec = ldns_rr_list_rr(nsecs, i);
    if (!same_name(ldns_rr_owner(nsec), name) && ldns_nsec_covers_name(nsec, name)) return nsec;
  }
  return nullptr;
}

const ldns_rdf* nsec_next(const ldns_rr* nsec) { return ldns_rr_rdf(nsec, 0); }

Verdict ldns_nsec_check(const ldns_rdf* qname, std::uint16_t qtype, const ldns_rr_list* nsecs,
                        const ldns_rr_list* rrsigs, Status on_success, std::string what) {
  Rr q = query_rr(qname, qtype);
  // ldns's parameters are not const; it only reads the lists.
  const ldns_status status = ldns_dnssec_verify_denial(q.get(), const_cast<ldns_rr_list*>(nsecs),
                                                       const_cast<ldns_rr_list*>(rrsigs));
  if (status != LDNS_STATUS_OK) return bogus(std::string("NSEC proof failed: ") + ldns_get_errorstr_by_id(status));
  return {on_success, std::move(what)};
}

}  // namespace

Verdict prove_with_nsec(const DenialQuestion& question, const ldns_rr_list* nsecs, const ldns_rr_list* rrsigs) {
  const std::string qname = to_text(question.qname);
  const ldns_rr* exact = nsec_at(nsecs, question.qname);

  switch (question.kind) {
    case DenialKind::no_ds: {
      if (!exact) {
        if (nsec_covering(nsecs, question.qname)) return bogus("NSEC shows that " + qname + " does not exist (no delegation)");
        return bogus("no NSEC for " + qname);
      }
      if (std::string problem = no_ds_problem(exact, qname); !problem.empty()) return bogus(problem);
      return ldns_nsec_check(question.qname, LDNS_RR_TYPE_DS, nsecs, rrsigs, Status::insecure,
                             "no DS for " + qname + " (NSEC)");
    }
    case DenialKind::nodata: {
      if (exact) {
        if (std::string problem = exact_match_problem(exact, question.qtype, qname); !problem.empty())
          return bogus(problem);
        return ldns_nsec_check(question.qname, question.qtype, nsecs, rrsigs, Status::secure, "NODATA (NSEC)");
      }
      // An empty non-terminal has no NSEC of its own: the one before it points below it.
      // ldns 1.8.3 does not know this case.
      if (const ldns_rr* cover = nsec_covering(nsecs, question.qname);
          cover && strictly_below(nsec_next(cover), question.qname))
        return {Status::secure, "NODATA at the empty non-terminal " + qname + " (NSEC)"};
      return ldns_nsec_check(question.qname, question.qtype, nsecs, rrsigs, Status::secure,
                             "NODATA from a wildcard (NSEC)");
    }
    case DenialKind::nxdomain: {
      if (exact) return bogus("NSEC shows that " + qname + " exists (NODATA, not NXDOMAIN)");
      const ldns_rr* cover = nsec_covering(nsecs, question.qname);
      if (!cover) return bogus("no NSEC covers " + qname);
      if (strictly_below(nsec_next(cover), question.qname))
        return bogus(qname + " is an empty non-terminal (NODATA, not NXDOMAIN)");
      // The closest encloser is the longer common ancestor of qname with the NSEC's two ends;
      // its wildcard must not exist (ldns only looks at the wildcard one label up).
      Rdf ce = common_ancestor(question.qname, ldns_rr_owner(cover));
      if (Rdf other = common_ancestor(question.qname, nsec_next(cover));
          ldns_dname_label_count(other.get()) > ldns_dname_label_count(ce.get()))
        ce = std::move(other);
      if (!at_or_below(ce.get(), question.zone)) ce = clone_name(question.zone);
      Rdf wildcard = wildcard_of(ce.get());
      if (nsec_at(nsecs, wildcard.get())) return bogus("the wildcard " + to_text(wildcard.get()) + " exists");
      if (!nsec_covering(nsecs, wildcard.get())) return bogus("no NSEC covers the wildcard " + to_text(wildcard.get()));
      return ldns_nsec_check(question.qname, question.qtype, nsecs, rrsigs, Status::secure, "NXDOMAIN (NSEC)");
    }
  }
  return bogus("unknown denial kind");
}

// ---- NSEC3 (RFC 5155 8) ----

namespace {

class Nsec3Chain {
 public:
  Nsec3Chain(const ldns_rr_list* records, const ldns_rdf* zone, std::atomic<std::uint64_t>& hashes)
      : records_(records), zone_(zone), hashes_(hashes) {}

  /// hash(name) + "." + zone, as NSEC3 owners are written.
  Rdf hash(const ldns_rdf* name) const {
    hashes_.fetch_add(1, std::memory_order_relaxed);
    Rdf hashed(ldns_nsec3_hash_name_frm_nsec3(ldns_rr_list_rr(records_, 0), name));
    if (!hashed || ldns_dname_cat(hashed.get(), zone_) != LDNS_STATUS_OK) return nullptr;
    return hashed;
  }
  const ldns_rr* exact(const ldns_rdf* hashed) const { return nsec_at(records_, hashed); }
  const ldns_rr* cover(const ldns_rdf* hashed) const { return nsec_covering(records_, hashed); }

 private:
  const ldns_rr_list* records_;
  const ldns_rdf* zone_;
  std::atomic<std::uint64_t>& hashes_;
};

struct Encloser {
  Rdf name;                                ///< the closest encloser
  Rdf next_closer;                         ///< one label longer, towards qname
  const ldns_rr* cover = nullptr;          ///< the NSEC3 covering the next closer name
  std::string problem;                     ///< set when there is no closest encloser proof
};

/// RFC 5155 8.3, walking from qname up to the zone apex (ldns's own walk goes on to the root).
Encloser closest_encloser(const Nsec3Chain& chain, const ldns_rdf* qname, const ldns_rdf* zone) {
  Encloser e;
  Rdf name = clone_name(qname);
  Rdf below, below_hash;
  for (;;) {
    Rdf hashed = chain.hash(name.get());
    if (!hashed) {
      e.problem = "cannot hash " + to_text(name.get());
      return e;
    }
    if (const ldns_rr* record = chain.exact(hashed.get())) {
      if (!below) {
        e.problem = "an NSEC3 matches " + to_text(qname) + " itself";
        return e;
      }
      if (has_type(record, LDNS_RR_TYPE_DNAME) ||
          (has_type(record, LDNS_RR_TYPE_NS) && !has_type(record, LDNS_RR_TYPE_SOA))) {
        e.problem = "the closest encloser " + to_text(name.get()) + " is a delegation or DNAME";
        return e;
      }
      e.cover = chain.cover(below_hash.get());
      if (!e.cover) {
        e.problem = "no NSEC3 covers the next closer name " + to_text(below.get());
        return e;
      }
      e.name = std::move(name);
      e.next_closer = std::move(below);
      return e;
    }
    if (same_name(name.get(), zone)) {
      e.problem = "no closest encloser proof for " + to_text(qname) + " (no NSEC3 matches the apex)";
      return e;
    }
    below = std::move(name);
    below_hash = std::move(hashed);
    name = Rdf(ldns_dname_left_chop(below.get()));
    if (!name) throw std::bad_alloc();
  }
}

std::string salt_hex(const ldns_rr* nsec3) {
  return to_text(ldns_rr_rdf(nsec3, 3));  // salt rdf ("-" when empty)
}

Verdict ldns_nsec3_check(const DenialQuestion& q, ldns_rr_list* set, ldns_pkt_rcode rcode, bool nodata,
                         std::atomic<std::uint64_t>& hashes) {
  hashes.fetch_add(1, std::memory_order_relaxed);
  Rr query = query_rr(q.qname, q.qtype);
  const ldns_status status = ldns_dnssec_verify_denial_nsec3(query.get(), set, nullptr, rcode,
                                                             static_cast<ldns_rr_type>(q.qtype), nodata);
  if (status != LDNS_STATUS_OK) return bogus(std::string("NSEC3 proof failed: ") + ldns_get_errorstr_by_id(status));
  return {Status::secure, {}};
}

}  // namespace

Verdict prove_with_nsec3(const DenialQuestion& question, const ldns_rr_list* nsec3s, unsigned max_iterations,
                         std::atomic<std::uint64_t>& hashes) {
  // RFC 5155 8.1/8.2: ignore unknown hash algorithms and flags; one parameter set per proof.
  ShallowList set = shallow_list();
  bool unknown_algorithm = false;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(nsec3s); ++i) {
    ldns_rr* r = ldns_rr_list_rr(nsec3s, i);
    if (ldns_rr_rd_count(r) < 5) continue;
    if (ldns_nsec3_algorithm(r) != LDNS_SHA1) {
      unknown_algorithm = true;
      continue;
    }
    if (ldns_nsec3_flags(r) > 1) continue;
    const ldns_rr* first = ldns_rr_list_rr_count(set.get()) ? ldns_rr_list_rr(set.get(), 0) : nullptr;
    if (first && (ldns_nsec3_iterations(r) != ldns_nsec3_iterations(first) || salt_hex(r) != salt_hex(first)))
      return bogus("NSEC3 records with different parameters");
    if (!ldns_rr_list_push_rr(set.get(), r)) throw std::bad_alloc();
  }
  if (ldns_rr_list_rr_count(set.get()) == 0) {
    if (unknown_algorithm) return {Status::insecure, "NSEC3 hash algorithm not supported"};
    return bogus("no usable NSEC3 record");
  }
  const unsigned iterations = ldns_nsec3_iterations(ldns_rr_list_rr(set.get(), 0));
  if (iterations > max_iterations)  // RFC 9276 3.2; decided before anything is hashed
    return {Status::insecure, "NSEC3 iterations above limit (" + std::to_string(iterations) + " > " +
                                  std::to_string(max_iterations) + ")"};

  const Nsec3Chain chain(set.get(), question.zone, hashes);
  const std::string qname = to_text(question.qname);
  Rdf hashed = chain.hash(question.qname);
  if (!hashed) return bogus("cannot hash " + qname);
  // The exact-match cases are decided here: ldns 1.8.3 leaks the hashed name on those paths.
  const ldns_rr* exact = chain.exact(hashed.get());

  switch (question.kind) {
    case DenialKind::no_ds: {
      if (exact) {
        if (std::string problem = no_ds_problem(exact, qname); !problem.empty()) return bogus(problem);
        return {Status::insecure, "no DS for " + qname + " (NSEC3)"};
      }
      Encloser e = closest_encloser(chain, question.qname, question.zone);
      if (!e.problem.empty()) return bogus(e.problem);
      if (!ldns_nsec3_optout(e.cover))
        return bogus("no NSEC3 for " + qname + " and the NSEC3 covering it has no opt-out");
      DenialQuestion ds = question;
      ds.qtype = LDNS_RR_TYPE_DS;
      if (Verdict v = ldns_nsec3_check(ds, set.get(), LDNS_RCODE_NOERROR, true, hashes); v.status != Status::secure)
        return v;
      return {Status::insecure, "no DS for " + qname + " (NSEC3 opt-out)"};
    }
    case DenialKind::nodata: {
      if (exact) {
        if (std::string problem = exact_match_problem(exact, question.qtype, qname); !problem.empty())
          return bogus(problem);
        return {Status::secure, "NODATA (NSEC3)"};
      }
      Encloser e = closest_encloser(chain, question.qname, question.zone);
      if (!e.problem.empty()) return bogus(e.problem);
      if (question.qtype == LDNS_RR_TYPE_DS) {
        if (!ldns_nsec3_optout(e.cover)) return bogus("no NSEC3 for " + qname + " and no opt-out");
        return {Status::insecure, "no DS for " + qname + " (NSEC3 opt-out)"};
      }
      Rdf wildcard = wildcard_of(e.name.get());
      Rdf wildcard_hash = chain.hash(wildcard.get());
      const ldns_rr* wild = wildcard_hash ? chain.exact(wildcard_hash.get()) : nullptr;
      if (!wild) return bogus("no NSEC3 matches " + qname + " or the wildcard " + to_text(wildcard.get()));
      if (std::string problem = exact_match_problem(wild, question.qtype, to_text(wildcard.get())); !problem.empty())
        return bogus(problem);
      if (Verdict v = ldns_nsec3_check(question, set.get(), LDNS_RCODE_NOERROR, true, hashes);
          v.status != Status::secure)
        return v;
      return {Status::secure, "NODATA from the wildcard " + to_text(wildcard.get()) + " (NSEC3)"};
    }
    case DenialKind::nxdomain: {
      if (exact) return bogus("an NSEC3 matches " + qname + ": it exists (NODATA, not NXDOMAIN)");
      Encloser e = closest_encloser(chain, question.qname, question.zone);
      if (!e.problem.empty()) return bogus(e.problem);
      Rdf wildcard = wildcard_of(e.name.get());
      Rdf wildcard_hash = chain.hash(wildcard.get());
      if (!wildcard_hash) return bogus("cannot hash " + to_text(wildcard.get()));
      if (chain.exact(wildcard_hash.get())) return bogus("the wildcard " + to_text(wildcard.get()) + " exists");
      if (!chain.cover(wildcard_hash.get())) return bogus("no NSEC3 covers the wildcard " + to_text(wildcard.get()));
      if (Verdict v = ldns_nsec3_check(question, set.get(), LDNS_RCODE_NXDOMAIN, false, hashes);
          v.status != Status::secure)
        return v;
      if (ldns_nsec3_optout(e.cover))  // an unsigned delegation may hide under an opt-out span
        return {Status::insecure, "NXDOMAIN under an NSEC3 opt-out span"};
      return {Status::secure, "NXDOMAIN (NSEC3)"};
    }
  }
  return bogus("unknown denial kind");
}

}  // namespace mxsentry::dnssec
