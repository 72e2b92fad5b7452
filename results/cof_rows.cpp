#include "results/cof_rows.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "results/cof_aggregate.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_a = 1, type_aaaa = 28;

}  // namespace

std::vector<CofRecord> cof_rows(const std::vector<ResourceRecord>& answers, const CofSighting& s, bool per_rdata) {
  // (name key, type) -> the owner as first written and the rdata.
  std::map<std::pair<std::string, std::uint16_t>, std::pair<std::string, std::vector<std::string>>> sets;
  for (const auto& rr : answers) {
    auto& set = sets[{cof_name_key(rr.name), rr.type}];
    if (set.first.empty()) set.first = rr.name;
    set.second.push_back(rr.rdata);
  }
  const std::string owner_key = cof_name_key(s.bailiwick_owner);
  std::vector<CofRecord> rows;
  for (auto& [key, set] : sets) {
    canonical_rdata(set.second);
    CofRecord row;
    row.rrname = set.first;
    row.rrtype = key.second;
    row.time_first_ms = row.time_last_ms = s.time_ms;
    row.count = 1;
    if (!owner_key.empty() && key.first == owner_key) row.bailiwick = s.bailiwick;
    row.sensor_id = s.sensor_id;
    row.origin = s.origin;
    row.verdict = s.verdict;
    row.evidence = s.evidence;
    canonical_rdata(row.evidence);
    if (per_rdata) {
      for (const auto& rdata : set.second) {
        row.rdata = {rdata};
        rows.push_back(row);
      }
    } else {
      row.rdata = std::move(set.second);
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<TimedAnswers> timed_answers(const Observation& o) {
  std::vector<TimedAnswers> out{{&o.answers, o.time_ms}};
  for (const auto& extra : o.extra_responses)
    out.push_back({&extra.answers, o.time_ms + static_cast<std::int64_t>(std::llround(extra.after_ms))});
  return out;
}

std::vector<ForgedAddress> forged_addresses(const std::vector<ResourceRecord>& answers,
                                            const std::vector<std::string>& expected) {
  std::vector<ForgedAddress> out;
  for (const auto& rr : answers) {
    if (rr.type != type_a && rr.type != type_aaaa) continue;
    if (std::find(expected.begin(), expected.end(), rr.rdata) != expected.end()) continue;
    bool seen = std::any_of(out.begin(), out.end(), [&](const ForgedAddress& f) { return f.address == rr.rdata; });
    if (!seen) out.push_back({rr.rdata, rr.name});
  }
  return out;
}

}  // namespace mxsentry
