#include "coordinator/analysis/evidence.h"

#include <algorithm>
#include <map>

#include "targets/address_class.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_a = 1, type_ns = 2, type_mx = 15, type_aaaa = 28;
constexpr int rcode_noerror = 0, rcode_servfail = 2, rcode_nxdomain = 3;

void add(std::vector<Evidence>& out, Evidence e) {
  if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
}

std::optional<Endpoint> address_of(const ResourceRecord& record) {
  if (record.type != type_a && record.type != type_aaaa) return std::nullopt;
  return Endpoint::parse(record.rdata);
}

bool same_prefix(const Endpoint& a, const Endpoint& b, const AnalysisConfig& config) {
  if (a.family != b.family) return false;
  Prefix p{b, a.family == AF_INET ? config.same_prefix_v4 : config.same_prefix_v6};
  return p.contains(a);
}

bool has_type(const std::vector<ResourceRecord>& records, std::uint16_t type) {
  return std::any_of(records.begin(), records.end(), [&](const ResourceRecord& r) { return r.type == type; });
}

/// Evidence about the response code alone. Returns false when there is no data to compare
/// (an error, or no records where the truth has some).
bool rcode_evidence(const Observation& o, const Truth& truth, std::vector<Evidence>& out) {
  bool truth_has_data = has_type(truth.answers, truth.qtype);
  bool has_data = has_type(o.answers, o.qtype);
  if (o.rcode == rcode_servfail && truth.dnssec.status == dnssec::Status::secure)
    add(out, Evidence::servfail_secure);
  if (o.rcode != rcode_noerror && o.rcode != rcode_nxdomain) {
    add(out, Evidence::rcode_mismatch);
    return false;
  }
  if (o.rcode == rcode_nxdomain && truth.rcode != rcode_nxdomain) {
    add(out, Evidence::rcode_mismatch);
    return false;
  }
  if (!has_data && truth_has_data) {
    add(out, Evidence::rcode_mismatch);
    return false;
  }
  return true;
}

/// Evidence about the addresses the truth lacks: their AS, prefix, class and IOC listing.
void address_evidence(const Comparison& c, const Truth& truth, const EvidenceContext& context,
                      std::vector<Evidence>& out) {
  std::vector<Endpoint> truth_addresses;
  for (const auto& record : truth.answers)
    if (auto a = address_of(record)) truth_addresses.push_back(*a);
  std::vector<Endpoint> unmatched;
  for (const auto& record : c.unmatched)
    if (auto a = address_of(record)) unmatched.push_back(*a);
  if (unmatched.empty()) return;

  const AnalysisConfig& config = *context.config;
  bool truth_special = std::any_of(truth_addresses.begin(), truth_addresses.end(),
                                   [](const Endpoint& a) { return special_purpose_block(a).has_value(); });
  bool all_same_prefix = !truth_addresses.empty();
  for (const auto& address : unmatched) {
    bool near = std::any_of(truth_addresses.begin(), truth_addresses.end(),
                            [&](const Endpoint& t) { return same_prefix(address, t, config); });
    all_same_prefix = all_same_prefix && near;
    // A DNS64 resolver's synthesised AAAA (64:ff9b::/96) is what it is meant to answer.
    if (!truth_special && special_purpose_block(address) && !nat64_well_known(address)) add(out, Evidence::bogon);
    if (context.ioc && context.ioc->match(address)) add(out, Evidence::ioc_listed);
  }
  if (all_same_prefix) add(out, Evidence::same_prefix);

  if (!context.asns_of) return;
  std::vector<std::uint32_t> truth_asns;
  for (const auto& t : truth_addresses)
    for (std::uint32_t asn : context.asns_of(t)) truth_asns.push_back(asn);
  if (truth_asns.empty()) return;
  bool all_same = true, any_known = false;
  for (const auto& address : unmatched) {
    std::vector<std::uint32_t> asns = context.asns_of(address);
    if (asns.empty()) {
      all_same = false;
      continue;
    }
    any_known = true;
    bool shared = std::any_of(asns.begin(), asns.end(), [&](std::uint32_t asn) {
      return std::find(truth_asns.begin(), truth_asns.end(), asn) != truth_asns.end();
    });
    if (!shared) {
      add(out, Evidence::asn_mismatch);
      all_same = false;
    }
  }
  if (any_known && all_same) add(out, Evidence::same_asn);
}

void spread_evidence(const Observation& o, const Comparison& c, const EvidenceContext& context,
                     std::vector<Evidence>& out) {
  if (!context.distribution || c.unmatched.empty()) return;
  const AnalysisConfig& config = *context.config;
  std::size_t answering = context.distribution->answering(o.qname, o.qtype);
  for (const auto& record : c.unmatched) {
    AnswerDistribution::Spread spread = context.distribution->spread(o.qname, o.qtype, record_key(record));
    double share = answering > 0 ? static_cast<double>(spread.resolvers) / static_cast<double>(answering) : 1.0;
    if (spread.resolvers <= config.rare_max_resolvers || share <= config.rare_max_share)
      add(out, Evidence::rare_answer);
    if (context.vantages_total > 1 && spread.vantages <= 1) add(out, Evidence::vantage_local);
  }
}

void dnssec_evidence(const Observation& o, const Truth& truth, const Comparison& c, const EvidenceContext& context,
                     std::vector<Evidence>& out) {
  if (truth.dnssec.status != dnssec::Status::secure) return;
  std::optional<dnssec::Verdict> check;
  if (!o.rrsigs.empty() && context.check_signatures) check = context.check_signatures(o, truth);
  // Signatures vouch only for the RRset they cover: every record the truth lacks must be in it
  // (a forged CNAME in front of a genuinely signed RRset is still a forgery).
  std::string owner = answer_owner(o);
  bool all_unmatched_signed = std::all_of(c.unmatched.begin(), c.unmatched.end(), [&](const ResourceRecord& r) {
    return r.type == o.qtype && same_name(r.name, owner);
  });
  if (check && check->status == dnssec::Status::secure && all_unmatched_signed) {
    add(out, Evidence::dnssec_valid);
  } else if (!c.unmatched.empty()) {
    add(out, Evidence::dnssec_bogus);
  } else if (o.rrsigs.empty()) {
    add(out, Evidence::dnssec_stripped);
  }
}

}  // namespace

Findings gather_evidence(const Observation& o, const Truth& truth, const EvidenceContext& context) {
  Findings f;
  std::vector<Evidence>& out = f.evidence;
  if (o.outcome == Outcome::not_asked && o.not_asked) {
    add(out, not_asked_evidence(*o.not_asked));  // a refusal says nothing about the resolver
    return f;
  }
  if (o.outcome != Outcome::answer) {
    add(out, Evidence::no_response);
    return f;
  }
  if (truth.rcode < 0) {
    add(out, Evidence::no_truth);
    return f;
  }
  bool compare = rcode_evidence(o, truth, out);
  f.comparison = compare_with_truth(o, truth, context.config->ttl_slack_seconds);
  const Comparison& c = f.comparison;
  if (!compare) return f;

  if (c.unmatched.empty()) {
    add(out, Evidence::match);
    if (c.cname_matches) add(out, Evidence::cname_match);
  } else {
    add(out, Evidence::not_in_truth);
    if ((o.qtype == type_mx && has_type(c.unmatched, type_mx)) || (o.qtype == type_ns && has_type(c.unmatched, type_ns)))
      add(out, Evidence::record_mismatch);
  }
  if (context.reverified) {
    for (const auto& record : c.matched)
      if (context.reverified->count(record_key(record))) add(out, Evidence::reverified_authoritative);
  }
  address_evidence(c, truth, context, out);
  if (!c.above_ttl.empty()) add(out, Evidence::ttl_above_authoritative);
  spread_evidence(o, c, context, out);
  if (!o.extra_responses.empty()) add(out, Evidence::multi_response);
  dnssec_evidence(o, truth, c, context, out);
  return f;
}

std::vector<Evidence> reask_evidence(const Observation& first, const Observation& second, const Truth& truth,
                                     double elapsed_s, const AnalysisConfig& config) {
  std::vector<Evidence> out;
  if (first.outcome != Outcome::answer || second.outcome != Outcome::answer) return out;
  Comparison before = compare_with_truth(first, truth, config.ttl_slack_seconds);
  if (before.unmatched.empty()) return out;
  std::map<std::string, std::uint32_t> again;
  for (const auto& record : second.answers) again[record_key(record)] = record.ttl;
  double tolerance = config.countdown_tolerance_seconds;
  for (const auto& record : before.unmatched) {
    auto it = again.find(record_key(record));
    if (it == again.end()) continue;  // gone: expired, evicted, or never cached
    double expected = static_cast<double>(record.ttl) - elapsed_s;
    double now = it->second;
    if (now >= expected - tolerance && now <= expected + tolerance && now < record.ttl)
      add(out, Evidence::cached_forgery);
    else if (now >= record.ttl)
      add(out, Evidence::fresh_ttl);
  }
  return out;
}

std::vector<Evidence> reask_elsewhere_evidence(const Observation& first, const Observation& second,
                                               const Truth& truth, double elapsed_s, const AnalysisConfig& config) {
  std::vector<Evidence> out;
  if (second.outcome != Outcome::answer) return out;
  add(out, Evidence::reasked_elsewhere);
  for (Evidence e : reask_evidence(first, second, truth, elapsed_s, config))
    if (e == Evidence::cached_forgery) add(out, e);
  return out;
}

}  // namespace mxsentry
