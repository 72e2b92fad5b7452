#include "coordinator/analysis/passive_analysis.h"

#include <algorithm>
#include <map>
#include <set>

#include "coordinator/analysis/classify.h"
#include "coordinator/analysis/evidence.h"

namespace mxsentry {

namespace {

bool overlaps(const PassiveRecord& a, const PassiveRecord& b) {
  return a.first_ms <= b.last_ms && b.first_ms <= a.last_ms;
}

bool holds(const PassiveRecord& r, const std::string& address) {
  return std::find(r.rdata.begin(), r.rdata.end(), address) != r.rdata.end();
}

void add(std::vector<Evidence>& out, Evidence e) {
  if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
}

std::string owner_of(const std::string& rrname) {
  return !rrname.empty() && rrname.back() == '.' ? rrname : rrname + ".";
}

// The address rules of active checks (same-asn, asn-mismatch, same-prefix, bogon, ioc-listed,
// and not-in-truth / match), run on `address` against `reference` as if it were the truth.
std::vector<Evidence> address_rules(const PassiveName& name, const std::string& address,
                                    const std::vector<std::string>& reference, const PassiveContext& context) {
  std::string owner = owner_of(name.rrname);
  Observation o;
  o.qname = owner;
  o.qtype = name.rrtype;
  o.outcome = Outcome::answer;
  o.rcode = 0;
  o.answers.push_back(ResourceRecord{owner, name.rrtype, 0, address});
  Truth truth;
  truth.qname = owner;
  truth.qtype = name.rrtype;
  truth.rcode = 0;
  for (const auto& r : reference) truth.answers.push_back(ResourceRecord{owner, name.rrtype, 0, r});
  EvidenceContext ec;
  ec.config = context.config;
  ec.asns_of = context.asns_of;
  ec.ioc = context.ioc;
  return gather_evidence(o, truth, ec).evidence;
}

// What one address's records say, gathered over the whole name.
struct AddressView {
  std::set<std::string> sensors;     ///< saw it
  std::set<std::string> concurrent;  ///< saw the name at a time it was seen (itself included)
  std::set<std::string> reference;   ///< addresses the other concurrent sensors saw instead
  std::int64_t first_ms = INT64_MAX, last_ms = INT64_MIN;
};

AddressView view_of(const PassiveName& name, const std::string& address) {
  AddressView v;
  for (const auto& r : name.records) {
    if (!holds(r, address)) continue;
    v.sensors.insert(r.sensor);
    v.first_ms = std::min(v.first_ms, r.first_ms);
    v.last_ms = std::max(v.last_ms, r.last_ms);
  }
  for (const auto& r : name.records) {
    if (!holds(r, address)) continue;
    for (const auto& other : name.records) {
      if (!overlaps(r, other)) continue;
      v.concurrent.insert(other.sensor);
      if (!v.sensors.count(other.sensor)) v.reference.insert(other.rdata.begin(), other.rdata.end());
    }
  }
  return v;
}

// Whether every sensor that saw `address` switched to it (or from it) once, all within the
// switch window, at least two of them: a renumbering seen everywhere at once.
bool renumbered(const PassiveName& name, const std::string& address, const AddressView& v,
                const PassiveContext& context) {
  std::vector<std::int64_t> in, out;
  for (const auto& sensor : v.sensors) {
    std::int64_t x_first = INT64_MAX, x_last = INT64_MIN, o_first_max = INT64_MIN, o_last_max = INT64_MIN;
    std::int64_t o_first_min = INT64_MAX, o_last_min = INT64_MAX;
    bool other = false;
    for (const auto& r : name.records) {
      if (r.sensor != sensor) continue;
      if (holds(r, address)) {
        x_first = std::min(x_first, r.first_ms);
        x_last = std::max(x_last, r.last_ms);
      } else {
        other = true;
        o_first_max = std::max(o_first_max, r.first_ms);
        o_last_max = std::max(o_last_max, r.last_ms);
        o_first_min = std::min(o_first_min, r.first_ms);
        o_last_min = std::min(o_last_min, r.last_ms);
      }
    }
    if (!other) continue;  // only ever saw this answer: fits either direction
    if (o_first_max <= x_first && o_last_max <= x_last) {
      in.push_back(x_first);  // the other answers came first: switched to this one
    } else if (o_first_min >= x_first && o_last_min >= x_last) {
      out.push_back(x_last);  // this one came first: switched away from it
    } else {
      return false;  // this answer came and went at this sensor: not a switch
    }
  }
  const auto& times = in.empty() ? out : in;
  if ((!in.empty() && !out.empty()) || times.size() < 2) return false;
  auto [lo, hi] = std::minmax_element(times.begin(), times.end());
  return *hi - *lo <= context.switch_window_ms;
}

// The share of the name's sensors that saw more than one answer for it.
double changing_share(const PassiveName& name) {
  std::map<std::string, std::set<std::vector<std::string>>> answers;
  for (const auto& r : name.records) answers[r.sensor].insert(r.rdata);
  if (answers.empty()) return 0;
  std::size_t changing = 0;
  for (const auto& [sensor, sets] : answers) changing += sets.size() > 1;
  return static_cast<double>(changing) / static_cast<double>(answers.size());
}

// Whether every sensor that saw `address` saw nothing else for the name (a stable group).
bool stable_group(const PassiveName& name, const std::string& address, const AddressView& v) {
  if (v.sensors.size() < 2) return false;
  return std::all_of(name.records.begin(), name.records.end(),
                     [&](const PassiveRecord& r) { return !v.sensors.count(r.sensor) || holds(r, address); });
}

}  // namespace

std::vector<PassiveVerdict> analyse_passive_name(const PassiveName& name, const PassiveContext& context) {
  const AnalysisConfig& config = *context.config;
  std::set<std::string> addresses;
  std::set<std::string> all_sensors;
  for (const auto& r : name.records) {
    addresses.insert(r.rdata.begin(), r.rdata.end());
    all_sensors.insert(r.sensor);
  }
  bool even = all_sensors.size() >= 3 && addresses.size() >= 3 && changing_share(name) >= context.even_share;

  std::vector<PassiveVerdict> out;
  for (const auto& address : addresses) {
    AddressView v = view_of(name, address);
    std::vector<Evidence> evidence;
    bool minority = v.sensors.size() * 2 <= v.concurrent.size();
    if (context.truth) {
      // An active truth decides what is genuine; the sensors only add how rare a record was.
      evidence = address_rules(name, address, *context.truth, context);
    } else if (v.concurrent.size() <= 1) {
      add(evidence, Evidence::no_truth);  // one sensor at the time: nothing to compare with
    } else if (!minority) {
      add(evidence, Evidence::sensors_agree);
      if (renumbered(name, address, v, context)) add(evidence, Evidence::renumbered);
    } else {
      std::vector<std::string> reference(v.reference.begin(), v.reference.end());
      for (Evidence e : address_rules(name, address, reference, context))
        add(evidence, e == Evidence::not_in_truth ? Evidence::sensor_conflict : e);
    }
    bool unmatched = std::find(evidence.begin(), evidence.end(), Evidence::not_in_truth) != evidence.end() ||
                     std::find(evidence.begin(), evidence.end(), Evidence::sensor_conflict) != evidence.end();
    if (unmatched && minority) {
      double share = static_cast<double>(v.sensors.size()) / static_cast<double>(v.concurrent.size());
      if (v.sensors.size() * 2 < v.concurrent.size() &&
          (v.sensors.size() <= config.rare_max_resolvers || share <= config.rare_max_share))
        add(evidence, Evidence::rare_answer);
      if (v.sensors.size() == 1) add(evidence, Evidence::vantage_local);
      if (even) add(evidence, Evidence::even_spread);
      if (stable_group(name, address, v)) add(evidence, Evidence::stable_split);
    }
    Decision d = decide(evidence, config);
    PassiveVerdict pv;
    pv.rrname = name.rrname;
    pv.rrtype = name.rrtype;
    pv.rdata = address;
    pv.verdict = d.verdict;
    pv.confidence = d.confidence;
    pv.evidence = std::move(evidence);
    pv.sensors.assign(v.sensors.begin(), v.sensors.end());
    pv.first_ms = v.first_ms;
    pv.last_ms = v.last_ms;
    out.push_back(std::move(pv));
  }
  return out;
}

}  // namespace mxsentry
