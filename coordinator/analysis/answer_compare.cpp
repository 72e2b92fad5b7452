#include "coordinator/analysis/answer_compare.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace mxsentry {

namespace {

constexpr std::uint16_t type_cname = 5;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

bool same_name(std::string_view a, std::string_view b) {
  auto trim = [](std::string_view n) { return !n.empty() && n.back() == '.' ? n.substr(0, n.size() - 1) : n; };
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string answer_owner(const Observation& o) {
  std::string owner = lower(o.qname);
  for (int links = 0; links < 16; ++links) {
    auto next = std::find_if(o.answers.begin(), o.answers.end(), [&](const ResourceRecord& r) {
      return r.type == type_cname && same_name(r.name, owner);
    });
    if (next == o.answers.end()) break;
    std::string target = lower(next->rdata);
    if (same_name(target, o.qname)) break;  // a loop back to the start
    owner = target;
  }
  return owner;
}

std::string record_key(const ResourceRecord& record) {
  return lower(record.name) + ' ' + std::to_string(record.type) + ' ' + lower(record.rdata);
}

Comparison compare_with_truth(const Observation& observation, const Truth& truth, std::uint32_t ttl_slack_seconds) {
  Comparison result;
  std::set<std::string> truth_keys;
  // Highest authoritative TTL per (owner, type), and per type for records the truth lacks.
  std::map<std::string, std::uint32_t> ttl_by_rrset;
  std::map<std::uint16_t, std::uint32_t> ttl_by_type;
  for (const auto& record : truth.answers) {
    truth_keys.insert(record_key(record));
    auto& by_rrset = ttl_by_rrset[lower(record.name) + ' ' + std::to_string(record.type)];
    by_rrset = std::max(by_rrset, record.ttl);
    auto& by_type = ttl_by_type[record.type];
    by_type = std::max(by_type, record.ttl);
    if (record.type == truth.qtype) result.expected.push_back(record.rdata);
  }
  auto type_ttl = ttl_by_type.find(truth.qtype);
  result.expected_ttl = type_ttl != ttl_by_type.end() ? type_ttl->second : truth.ttl_max;

  bool all_cnames_match = true;
  for (const auto& record : observation.answers) {
    result.max_ttl = std::max(result.max_ttl, record.ttl);
    if (record.type == observation.qtype) result.observed.push_back(record.rdata);
    bool known = truth_keys.count(record_key(record)) > 0;
    (known ? result.matched : result.unmatched).push_back(record);
    if (record.type == type_cname) {
      result.used_cname = true;
      all_cnames_match = all_cnames_match && known;
    }
    std::uint32_t limit = 0;
    if (auto it = ttl_by_rrset.find(lower(record.name) + ' ' + std::to_string(record.type)); it != ttl_by_rrset.end())
      limit = it->second;
    else if (auto by_type = ttl_by_type.find(record.type); by_type != ttl_by_type.end())
      limit = by_type->second;
    else
      limit = truth.ttl_max;
    // Without any authoritative TTL there is nothing to be above.
    if (!truth.answers.empty() && record.ttl > limit + ttl_slack_seconds) result.above_ttl.push_back(record);
  }
  result.cname_matches = result.used_cname && all_cnames_match;
  std::sort(result.observed.begin(), result.observed.end());
  std::sort(result.expected.begin(), result.expected.end());
  result.expected.erase(std::unique(result.expected.begin(), result.expected.end()), result.expected.end());
  return result;
}

}  // namespace mxsentry
