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

// The name's sensors and addresses as small numbers, each record's with them, and each
// sensor's records: the rules below then count with flags instead of sets of strings (a CDN
// name can hold tens of thousands of records).
struct Interned {
  std::vector<std::string> sensors, addresses;
  std::vector<std::size_t> sensor_of;                  ///< per record
  std::vector<std::vector<std::size_t>> rdata_of;      ///< per record: address numbers, sorted
  std::vector<std::vector<std::size_t>> records_of;    ///< per sensor: its records
  std::vector<std::vector<std::size_t>> holding;       ///< per address: the records that hold it

  explicit Interned(const PassiveName& name) {
    std::map<std::string, std::size_t> sensor_ids, address_ids;
    for (const auto& r : name.records) {
      sensor_ids.emplace(r.sensor, 0);
      for (const auto& a : r.rdata) address_ids.emplace(a, 0);
    }
    for (auto& [text, id] : sensor_ids) {
      id = sensors.size();
      sensors.push_back(text);
    }
    for (auto& [text, id] : address_ids) {
      id = addresses.size();
      addresses.push_back(text);
    }
    records_of.resize(sensors.size());
    holding.resize(addresses.size());
    for (std::size_t i = 0; i < name.records.size(); ++i) {
      sensor_of.push_back(sensor_ids[name.records[i].sensor]);
      records_of[sensor_of.back()].push_back(i);
      std::vector<std::size_t> ids;
      for (const auto& a : name.records[i].rdata) ids.push_back(address_ids[a]);
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      for (std::size_t id : ids) holding[id].push_back(i);
      rdata_of.push_back(std::move(ids));
    }
  }

  bool holds(std::size_t record, std::size_t address) const {
    return std::binary_search(rdata_of[record].begin(), rdata_of[record].end(), address);
  }
};

// The name's records in order of first sight, and how long the longest lasted: the records
// that can overlap one are those that began at most that long before it and before it ended.
// With records of similar length (a sensor's hourly or daily aggregates) this keeps the search
// near each record instead of over the whole name.
struct TimeIndex {
  std::vector<std::size_t> by_first;
  std::int64_t longest_ms = 0;

  explicit TimeIndex(const PassiveName& name) : by_first(name.records.size()) {
    for (std::size_t i = 0; i < by_first.size(); ++i) {
      by_first[i] = i;
      longest_ms = std::max(longest_ms, name.records[i].last_ms - name.records[i].first_ms);
    }
    std::sort(by_first.begin(), by_first.end(),
              [&](std::size_t a, std::size_t b) { return name.records[a].first_ms < name.records[b].first_ms; });
  }

  /// Calls `visit` with the number of every record that overlaps `r`.
  template <typename Visit>
  void overlapping(const PassiveName& name, const PassiveRecord& r, Visit visit) const {
    auto first_of = [&](std::size_t i) { return name.records[i].first_ms; };
    std::int64_t earliest = r.first_ms > INT64_MIN + longest_ms ? r.first_ms - longest_ms : INT64_MIN;
    auto lo = std::partition_point(by_first.begin(), by_first.end(), [&](std::size_t i) { return first_of(i) < earliest; });
    for (auto it = lo; it != by_first.end() && first_of(*it) <= r.last_ms; ++it)
      if (overlaps(r, name.records[*it])) visit(*it);
  }
};

// What one address's records say, gathered over the whole name.
struct AddressView {
  std::vector<std::size_t> sensors;    ///< saw it (sensor numbers, ascending)
  std::size_t concurrent = 0;          ///< sensors that saw the name at a time it was seen (itself included)
  std::vector<std::size_t> reference;  ///< addresses the other concurrent sensors saw instead
  std::int64_t first_ms = INT64_MAX, last_ms = INT64_MIN;
};

AddressView view_of(const PassiveName& name, const Interned& in, std::size_t address, const TimeIndex& index) {
  AddressView v;
  std::vector<char> saw(in.sensors.size(), 0), concurrent(in.sensors.size(), 0), referenced(in.addresses.size(), 0);
  for (std::size_t i : in.holding[address]) {
    saw[in.sensor_of[i]] = 1;
    v.first_ms = std::min(v.first_ms, name.records[i].first_ms);
    v.last_ms = std::max(v.last_ms, name.records[i].last_ms);
  }
  for (std::size_t i : in.holding[address]) {
    index.overlapping(name, name.records[i], [&](std::size_t other) {
      std::size_t sensor = in.sensor_of[other];
      concurrent[sensor] = 1;
      if (!saw[sensor])
        for (std::size_t a : in.rdata_of[other]) referenced[a] = 1;
    });
  }
  for (std::size_t s = 0; s < saw.size(); ++s) {
    if (saw[s]) v.sensors.push_back(s);
    v.concurrent += concurrent[s];
  }
  for (std::size_t a = 0; a < referenced.size(); ++a)
    if (referenced[a]) v.reference.push_back(a);
  return v;
}

// Whether every sensor that saw `address` switched to it (or from it) once, all within the
// switch window, at least two of them: a renumbering seen everywhere at once.
bool renumbered(const PassiveName& name, const Interned& in, std::size_t address, const AddressView& v,
                const PassiveContext& context) {
  std::vector<std::int64_t> to, from;
  for (std::size_t sensor : v.sensors) {
    std::int64_t x_first = INT64_MAX, x_last = INT64_MIN, o_first_max = INT64_MIN, o_last_max = INT64_MIN;
    std::int64_t o_first_min = INT64_MAX, o_last_min = INT64_MAX;
    bool other = false;
    for (std::size_t i : in.records_of[sensor]) {
      const auto& r = name.records[i];
      if (in.holds(i, address)) {
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
      to.push_back(x_first);  // the other answers came first: switched to this one
    } else if (o_first_min >= x_first && o_last_min >= x_last) {
      from.push_back(x_last);  // this one came first: switched away from it
    } else {
      return false;  // this answer came and went at this sensor: not a switch
    }
  }
  const auto& times = to.empty() ? from : to;
  if ((!to.empty() && !from.empty()) || times.size() < 2) return false;
  auto [lo, hi] = std::minmax_element(times.begin(), times.end());
  return *hi - *lo <= context.switch_window_ms;
}

// The share of the name's sensors that saw more than one answer for it.
double changing_share(const Interned& in) {
  if (in.sensors.empty()) return 0;
  std::size_t changing = 0;
  for (const auto& records : in.records_of) {
    std::set<std::vector<std::size_t>> answers;
    for (std::size_t i : records) answers.insert(in.rdata_of[i]);
    changing += answers.size() > 1;
  }
  return static_cast<double>(changing) / static_cast<double>(in.sensors.size());
}

// Whether every sensor that saw `address` saw nothing else for the name (a stable group).
bool stable_group(const Interned& in, std::size_t address, const AddressView& v) {
  if (v.sensors.size() < 2) return false;
  for (std::size_t sensor : v.sensors)
    for (std::size_t i : in.records_of[sensor])
      if (!in.holds(i, address)) return false;
  return true;
}

}  // namespace

std::vector<PassiveVerdict> analyse_passive_name(const PassiveName& name, const PassiveContext& context) {
  const AnalysisConfig& config = *context.config;
  const Interned in(name);
  const TimeIndex index(name);
  bool even = in.sensors.size() >= 3 && in.addresses.size() >= 3 && changing_share(in) >= context.even_share;

  std::vector<PassiveVerdict> out;
  for (std::size_t number = 0; number < in.addresses.size(); ++number) {
    const std::string& address = in.addresses[number];
    AddressView v = view_of(name, in, number, index);
    std::vector<Evidence> evidence;
    bool minority = v.sensors.size() * 2 <= v.concurrent;
    if (context.truth) {
      // An active truth decides what is genuine; the sensors only add how rare a record was.
      evidence = address_rules(name, address, *context.truth, context);
    } else if (v.concurrent <= 1) {
      add(evidence, Evidence::no_truth);  // one sensor at the time: nothing to compare with
    } else if (!minority) {
      add(evidence, Evidence::sensors_agree);
      if (renumbered(name, in, number, v, context)) add(evidence, Evidence::renumbered);
    } else {
      std::vector<std::string> reference;
      for (std::size_t a : v.reference) reference.push_back(in.addresses[a]);
      for (Evidence e : address_rules(name, address, reference, context))
        add(evidence, e == Evidence::not_in_truth ? Evidence::sensor_conflict : e);
    }
    bool unmatched = std::find(evidence.begin(), evidence.end(), Evidence::not_in_truth) != evidence.end() ||
                     std::find(evidence.begin(), evidence.end(), Evidence::sensor_conflict) != evidence.end();
    if (unmatched && minority) {
      double share = static_cast<double>(v.sensors.size()) / static_cast<double>(v.concurrent);
      if (v.sensors.size() * 2 < v.concurrent &&
          (v.sensors.size() <= config.rare_max_resolvers || share <= config.rare_max_share))
        add(evidence, Evidence::rare_answer);
      if (v.sensors.size() == 1) add(evidence, Evidence::vantage_local);
      if (even) add(evidence, Evidence::even_spread);
      if (stable_group(in, number, v)) add(evidence, Evidence::stable_split);
    }
    Decision d = decide(evidence, config);
    PassiveVerdict pv;
    pv.rrname = name.rrname;
    pv.rrtype = name.rrtype;
    pv.rdata = address;
    pv.verdict = d.verdict;
    pv.confidence = d.confidence;
    pv.evidence = std::move(evidence);
    for (std::size_t sensor : v.sensors) pv.sensors.push_back(in.sensors[sensor]);
    pv.first_ms = v.first_ms;
    pv.last_ms = v.last_ms;
    out.push_back(std::move(pv));
  }
  return out;
}

}  // namespace mxsentry
