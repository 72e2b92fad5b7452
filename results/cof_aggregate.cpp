#include "results/cof_aggregate.h"

#include <algorithm>
#include <iterator>

namespace mxsentry {

std::string cof_name_key(std::string_view rrname) {
  std::string key(rrname);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

bool same_cof_key(const CofRecord& a, const CofRecord& b) {
  return a.sensor_id == b.sensor_id && a.rrtype == b.rrtype && a.rdata == b.rdata &&
         cof_name_key(a.rrname) == cof_name_key(b.rrname);
}

int verdict_severity(std::string_view verdict) {
  if (verdict == "poisoned") return 2;
  if (verdict == "suspicious") return 1;
  return 0;
}

void merge_cof(CofRecord& into, const CofRecord& row) {
  if (row.time_first_ms < into.time_first_ms) {
    into.time_first_ms = row.time_first_ms;
    if (!row.origin.empty()) into.origin = row.origin;
  }
  if (into.origin.empty()) into.origin = row.origin;
  into.time_last_ms = std::max(into.time_last_ms, row.time_last_ms);
  if (row.count) into.count = into.count.value_or(0) + *row.count;
  if (into.bailiwick.empty()) into.bailiwick = row.bailiwick;
  if (into.verdict.empty() || verdict_severity(row.verdict) > verdict_severity(into.verdict)) {
    if (!row.verdict.empty()) into.verdict = row.verdict;
  }
  if (!row.evidence.empty()) {
    std::vector<std::string> both;
    std::set_union(into.evidence.begin(), into.evidence.end(), row.evidence.begin(), row.evidence.end(),
                   std::back_inserter(both));
    into.evidence = std::move(both);
  }
}

void CofFolder::add(CofRecord row) {
  if (current_ && same_cof_key(*current_, row)) {
    if (row.extra != current_->extra) extra_differs_ = true;
    merge_cof(*current_, row);
    return;
  }
  finish();
  current_ = std::move(row);
}

void CofFolder::finish() {
  if (!current_) return;
  if (extra_differs_) current_->extra.clear();
  emit_(*current_);
  current_.reset();
  extra_differs_ = false;
}

}  // namespace mxsentry
