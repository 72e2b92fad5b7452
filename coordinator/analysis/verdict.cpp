#include "coordinator/analysis/verdict.h"

#include <algorithm>
#include <array>
#include <utility>

namespace mxsentry {

namespace {

constexpr std::array<std::pair<Evidence, const char*>, 33> evidence_names{{
    {Evidence::match, "match"},
    {Evidence::cname_match, "cname-match"},
    {Evidence::not_in_truth, "not-in-truth"},
    {Evidence::same_asn, "same-asn"},
    {Evidence::same_prefix, "same-prefix"},
    {Evidence::asn_mismatch, "asn-mismatch"},
    {Evidence::ttl_above_authoritative, "ttl-above-authoritative"},
    {Evidence::rare_answer, "rare-answer"},
    {Evidence::bogon, "bogon"},
    {Evidence::ioc_listed, "ioc-listed"},
    {Evidence::dnssec_valid, "dnssec-valid"},
    {Evidence::dnssec_bogus, "dnssec-bogus"},
    {Evidence::dnssec_stripped, "dnssec-stripped"},
    {Evidence::servfail_secure, "servfail-secure"},
    {Evidence::multi_response, "multi-response"},
    {Evidence::record_mismatch, "record-mismatch"},
    {Evidence::vantage_local, "vantage-local"},
    {Evidence::cached_forgery, "cached-forgery"},
    {Evidence::fresh_ttl, "fresh-ttl"},
    {Evidence::reasked_elsewhere, "reasked-elsewhere"},
    {Evidence::rcode_mismatch, "rcode-mismatch"},
    {Evidence::no_response, "no-response"},
    {Evidence::no_truth, "no-truth"},
    {Evidence::reverified_authoritative, "reverified-authoritative"},
    {Evidence::sensor_conflict, "sensor-conflict"},
    {Evidence::sensors_agree, "sensors-agree"},
    {Evidence::renumbered, "renumbered"},
    {Evidence::even_spread, "even-spread"},
    {Evidence::stable_split, "stable-split"},
    {Evidence::opt_out, "opt-out"},
    {Evidence::opt_out_coordinator, "opt-out-coordinator"},
    {Evidence::private_refused, "private-refused"},
    {Evidence::bad_address, "bad-address"},
}};

}  // namespace

const char* to_string(VerdictClass verdict) {
  switch (verdict) {
    case VerdictClass::consistent: return "consistent";
    case VerdictClass::variation: return "variation";
    case VerdictClass::suspicious: return "suspicious";
    case VerdictClass::poisoned: return "poisoned";
    case VerdictClass::failed: return "failed";
    case VerdictClass::unreachable: return "unreachable";
    case VerdictClass::unknown: return "unknown";
    case VerdictClass::not_asked: return "not-asked";
  }
  return "unknown";
}

std::optional<VerdictClass> verdict_class_from_string(const std::string& text) {
  for (auto c : {VerdictClass::consistent, VerdictClass::variation, VerdictClass::suspicious, VerdictClass::poisoned,
                 VerdictClass::failed, VerdictClass::unreachable, VerdictClass::unknown, VerdictClass::not_asked})
    if (text == to_string(c)) return c;
  return std::nullopt;
}

const char* to_string(Evidence evidence) {
  for (const auto& [e, name] : evidence_names)
    if (e == evidence) return name;
  return "?";
}

std::optional<Evidence> evidence_from_string(const std::string& text) {
  for (const auto& [e, name] : evidence_names)
    if (text == name) return e;
  return std::nullopt;
}

const std::vector<Evidence>& all_evidence() {
  static const std::vector<Evidence> all = [] {
    std::vector<Evidence> v;
    for (const auto& entry : evidence_names) v.push_back(entry.first);
    return v;
  }();
  return all;
}

Evidence not_asked_evidence(NotAskedReason reason) {
  switch (reason) {
    case NotAskedReason::opt_out: return Evidence::opt_out;
    case NotAskedReason::opt_out_coordinator: return Evidence::opt_out_coordinator;
    case NotAskedReason::private_refused: return Evidence::private_refused;
    case NotAskedReason::bad_address: return Evidence::bad_address;
  }
  return Evidence::bad_address;
}

bool is_not_asked_evidence(Evidence e) {
  return e == Evidence::opt_out || e == Evidence::opt_out_coordinator || e == Evidence::private_refused ||
         e == Evidence::bad_address;
}

int check_exit_status(const std::vector<Verdict>& verdicts) {
  auto any = [&](auto test) { return std::any_of(verdicts.begin(), verdicts.end(), test); };
  if (any([](const Verdict& v) { return v.flagged(); })) return 1;
  if (!any([](const Verdict& v) { return v.compared(); })) return 3;
  return 0;
}

bool Verdict::has(Evidence e) const { return std::find(evidence.begin(), evidence.end(), e) != evidence.end(); }

std::string attack_named_by(const Verdict& v) {
  if (!v.flagged()) return "";
  // A cache counts its TTL down; an on-path injector answers afresh each time, often beside
  // the real answer.
  if (v.has(Evidence::cached_forgery)) return "cache";
  if (v.has(Evidence::fresh_ttl) || v.has(Evidence::multi_response)) return "injection";
  return "";
}

}  // namespace mxsentry
