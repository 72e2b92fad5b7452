#include "coordinator/analysis/verdict_output.h"

#include <algorithm>
#include <tuple>

#include "prober/core/response_parse.h"
#include "results/json_text.h"
#include "results/observation_json.h"

namespace mxsentry {

namespace {

/// How urgent a class is for the table: lower first.
int table_rank(VerdictClass c) {
  switch (c) {
    case VerdictClass::poisoned: return 0;
    case VerdictClass::suspicious: return 1;
    case VerdictClass::failed: return 2;
    case VerdictClass::variation: return 3;
    case VerdictClass::unreachable: return 4;
    case VerdictClass::unknown: return 5;
    case VerdictClass::not_asked: return 6;
    case VerdictClass::consistent: return 7;
  }
  return 8;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string with_ttl(const std::vector<std::string>& rdata, std::uint32_t ttl) {
  if (rdata.empty()) return "-";
  return joined(rdata, ", ") + " (" + std::to_string(ttl) + ")";
}

std::string confidence_text(double c) {
  std::string out;
  json::append_millis(out, c);
  return out;
}

}  // namespace

void append_string_array(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    json::append_string(out, items[i]);
  }
  out += ']';
}

void append_verdict_fields(std::string& out, VerdictClass verdict, double confidence,
                           const std::vector<Evidence>& evidence) {
  out += ",\"verdict\":\"";
  out += to_string(verdict);
  out += "\",\"confidence\":";
  json::append_millis(out, confidence);
  out += ",\"evidence\":[";
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    if (i) out += ',';
    out += '"';
    out += to_string(evidence[i]);
    out += '"';
  }
  out += ']';
}

std::string verdict_json_line(const Verdict& verdict) {
  std::string line;
  append_verdict_json(line, verdict);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

void append_verdict_json(std::string& out, const Verdict& v) {
  out += "{\"vantage\":";
  json::append_string(out, v.vantage);
  out += ",\"resolver\":";
  json::append_string(out, v.resolver.to_string());
  out += ",\"qname\":";
  json::append_string(out, v.qname);
  out += ",\"qtype\":";
  json::append_string(out, rr_type_name(v.qtype));
  append_verdict_fields(out, v.verdict, v.confidence, v.evidence);
  out += ",\"observed\":";
  append_string_array(out, v.observed);
  out += ",\"expected\":";
  append_string_array(out, v.expected);
  out += ",\"ttl\":";
  json::append_int(out, v.ttl);
  out += ",\"expected_ttl\":";
  json::append_int(out, v.expected_ttl);
  out += ",\"dnssec\":";
  json::append_string(out, v.dnssec);
  out += ",\"rcode\":";
  append_rcode_json(out, v.rcode);
  if (!v.attack.empty()) {
    out += ",\"attack\":";
    json::append_string(out, v.attack);
  }
  if (!v.reasked_by.empty()) {
    out += ",\"reasked_by\":";
    json::append_string(out, v.reasked_by);
  }
  out += "}\n";
}

std::string verdict_overrides(const Verdict& a, const Verdict& b) {
  std::string out;
  auto key = [&](const char* name) {
    out += out.empty() ? "{\"" : ",\"";
    out += name;
    out += "\":";
  };
  if (a.vantage != b.vantage) key("vantage"), json::append_string(out, a.vantage);
  if (a.resolver != b.resolver) key("resolver"), json::append_string(out, a.resolver.to_string());
  if (a.qname != b.qname) key("qname"), json::append_string(out, a.qname);
  if (a.qtype != b.qtype) key("qtype"), json::append_string(out, rr_type_name(a.qtype));
  if (a.observed != b.observed) key("observed"), append_string_array(out, a.observed);
  if (a.expected != b.expected) key("expected"), append_string_array(out, a.expected);
  if (a.ttl != b.ttl) key("ttl"), json::append_int(out, a.ttl);
  if (a.expected_ttl != b.expected_ttl) key("expected_ttl"), json::append_int(out, a.expected_ttl);
  if (a.dnssec != b.dnssec) key("dnssec"), json::append_string(out, a.dnssec);
  if (a.rcode != b.rcode) key("rcode"), append_rcode_json(out, a.rcode);
  if (a.attack != b.attack) key("attack"), json::append_string(out, a.attack);
  if (a.reasked_by != b.reasked_by) key("reasked_by"), json::append_string(out, a.reasked_by);
  if (!out.empty()) out += '}';
  return out;
}

std::map<VerdictClass, std::size_t> count_verdicts(const std::vector<const Verdict*>& verdicts) {
  std::map<VerdictClass, std::size_t> counts;
  for (const Verdict* v : verdicts) ++counts[v->verdict];
  return counts;
}

std::string format_counts(const std::map<VerdictClass, std::size_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [c, n] : counts)
    if (n > 0) parts.push_back(std::to_string(n) + " " + to_string(c));
  return parts.empty() ? "nothing" : joined(parts, ", ");
}

std::string format_verdict_table(const std::vector<Verdict>& verdicts) {
  std::vector<const Verdict*> shown;
  for (const auto& v : verdicts)
    if (v.verdict != VerdictClass::consistent) shown.push_back(&v);
  std::stable_sort(shown.begin(), shown.end(), [](const Verdict* a, const Verdict* b) {
    if (table_rank(a->verdict) != table_rank(b->verdict)) return table_rank(a->verdict) < table_rank(b->verdict);
    if (a->confidence != b->confidence) return a->confidence > b->confidence;
    return std::tie(a->qname, a->qtype) < std::tie(b->qname, b->qtype);
  });
  auto who = [](const Verdict& v) {
    return v.vantage == "local" ? v.resolver.to_string() : v.vantage + "/" + v.resolver.to_string();
  };
  auto observed_text = [](const Verdict& v) {
    return v.rcode > 0 && v.observed.empty() ? rcode_name(v.rcode) : with_ttl(v.observed, v.ttl);
  };
  // A resolver that failed or stayed silent on every question gets one line, not one per question.
  std::map<std::string, std::size_t> asked;
  for (const auto& v : verdicts) ++asked[who(v)];
  std::map<std::string, std::size_t> same_everywhere;  // (resolver, class, observed) -> count
  auto group_of = [&](const Verdict& v) { return who(v) + '\n' + to_string(v.verdict) + '\n' + observed_text(v); };
  for (const Verdict* v : shown)
    if (v->verdict == VerdictClass::unreachable || v->verdict == VerdictClass::failed ||
        v->verdict == VerdictClass::not_asked)
      ++same_everywhere[group_of(*v)];

  std::vector<std::vector<std::string>> rows;
  rows.push_back({"RESOLVER", "QUESTION", "VERDICT", "CONF", "OBSERVED (TTL)", "EXPECTED (TTL)", "EVIDENCE"});
  std::map<std::string, bool> summarised;
  for (const Verdict* v : shown) {
    std::vector<std::string> evidence;
    for (Evidence e : v->evidence) evidence.push_back(to_string(e));
    std::string verdict = to_string(v->verdict);
    if (!v->attack.empty()) verdict += " (" + v->attack + ")";
    auto group = same_everywhere.find(group_of(*v));
    if (group != same_everywhere.end() && asked[who(*v)] > 1 && group->second == asked[who(*v)]) {
      if (summarised[group->first]) continue;
      summarised[group->first] = true;
      rows.push_back({who(*v), "(all " + std::to_string(group->second) + " questions)", verdict,
                      confidence_text(v->confidence), observed_text(*v), "-", joined(evidence, ",")});
      continue;
    }
    rows.push_back({who(*v), v->qname + " " + rr_type_name(v->qtype), verdict, confidence_text(v->confidence),
                    observed_text(*v), with_ttl(v->expected, v->expected_ttl), joined(evidence, ",")});
  }
  if (rows.size() == 1) return "";
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(width[i] - row[i].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace mxsentry
