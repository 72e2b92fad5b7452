#include "results/report/report_builder.h"

#include <algorithm>

namespace mxsentry {

const std::vector<std::string>& report_verdict_classes() {
  static const std::vector<std::string> classes{"poisoned", "suspicious", "variation", "consistent",
                                                "failed",   "unreachable", "unknown",  "not-asked"};
  return classes;
}

namespace {

bool flagged(const std::string& verdict) { return verdict == "poisoned" || verdict == "suspicious"; }

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::string run_name(const ReportRun& run) { return run.kind + " " + std::to_string(run.id); }

// Groups sorted by count, largest first, then by name.
std::vector<GroupCount> sorted_groups(const std::map<std::string, std::uint64_t>& groups) {
  std::vector<GroupCount> out;
  for (const auto& [group, n] : groups) out.push_back({group, n});
  std::stable_sort(out.begin(), out.end(), [](const GroupCount& a, const GroupCount& b) { return a.resolvers > b.resolvers; });
  return out;
}

}  // namespace

ReportBuilder::ReportBuilder(ReportContext context) : context_(std::move(context)) {
  data_.source = context_.source;
  data_.selection = context_.selection;
  data_.generated_ms = context_.generated_ms;
}

void ReportBuilder::add_run(const ReportRun& run) { data_.runs.push_back(run); }

void ReportBuilder::add_verdict(const ReportRun& run, const ReportVerdict& v) {
  ++data_.verdicts;
  ++data_.counts[v.verdict];
  resolvers_.insert(v.resolver);
  names_.insert(v.qname);
  Question question{v.qname, v.qtype};
  ++per_target_[question][v.verdict];
  Host& host = hosts_[question];
  for (const auto& rdata : v.observed) {
    AnswerShare& share = host.answers[rdata];
    share.rdata = rdata;
    ++share.resolvers;
    share.in_truth = share.in_truth || contains(v.expected, rdata);
  }
  if (!flagged(v.verdict)) return;
  ++host.flagged;
  flagged_resolvers_.insert(v.resolver);
  ResolverOrigin origin = context_.origin_of ? context_.origin_of(v.resolver) : ResolverOrigin{};
  data_.flagged.push_back({run_name(run), v, origin});
  for (const auto& rdata : v.observed) {
    if (contains(v.expected, rdata)) continue;
    Forged& f = forged_[{v.resolver, v.qname, v.qtype, rdata}];
    f.record.resolver = v.resolver;
    f.record.qname = v.qname;
    f.record.qtype = v.qtype;
    f.record.rdata = rdata;
    if (f.fallback_ms == 0 || run.started_ms < f.fallback_ms) f.fallback_ms = run.started_ms;
  }
}

void ReportBuilder::add_trend(const ReportRun& run, const ClassCounts& counts) { data_.trend.push_back({run, counts}); }

void ReportBuilder::add_sighting(const ReportRun& run, const std::string& resolver, const std::string& qname,
                                 const std::string& qtype, const std::string& rdata, std::int64_t time_ms) {
  auto it = forged_.find({resolver, qname, qtype, rdata});
  if (it == forged_.end()) return;
  ForgedRecord& r = it->second.record;
  if (r.sightings == 0 || time_ms < r.first_ms) r.first_ms = time_ms;
  if (r.sightings == 0 || time_ms > r.last_ms) r.last_ms = time_ms;
  ++r.sightings;
  it->second.runs.insert({run.kind, run.id});
}

ReportData ReportBuilder::finish() {
  ReportData out = std::move(data_);
  out.resolvers = resolvers_.size();
  out.targets = names_.size();
  for (auto& [question, counts] : per_target_) out.per_target.push_back({question.first, question.second, counts});

  for (auto& [question, host] : hosts_) {
    HostAnswers h{question.first, question.second, {}, host.flagged};
    for (auto& [rdata, share] : host.answers) {
      if ((question.second == "A" || question.second == "AAAA") && context_.asn_of_address)
        share.asn = context_.asn_of_address(rdata);
      h.answers.push_back(share);
    }
    std::stable_sort(h.answers.begin(), h.answers.end(),
                     [](const AnswerShare& a, const AnswerShare& b) { return a.resolvers > b.resolvers; });
    out.hosts.push_back(std::move(h));
  }
  std::stable_sort(out.hosts.begin(), out.hosts.end(),
                   [](const HostAnswers& a, const HostAnswers& b) { return a.flagged > b.flagged; });

  std::stable_sort(out.flagged.begin(), out.flagged.end(), [](const FlaggedVerdict& a, const FlaggedVerdict& b) {
    bool ap = a.verdict.verdict == "poisoned", bp = b.verdict.verdict == "poisoned";
    if (ap != bp) return ap;
    return a.verdict.confidence > b.verdict.confidence;
  });

  out.flagged_resolvers = flagged_resolvers_.size();
  std::map<std::string, std::uint64_t> countries, asns;
  bool any_country = false, any_asn = false;
  for (const auto& resolver : flagged_resolvers_) {
    ResolverOrigin origin = context_.origin_of ? context_.origin_of(resolver) : ResolverOrigin{};
    any_country |= !origin.country.empty();
    any_asn |= origin.asn != 0;
    ++countries[origin.country.empty() ? "unknown" : origin.country];
    ++asns[origin.asn == 0 ? "unknown" : "AS" + std::to_string(origin.asn)];
  }
  if (any_country) out.flagged_by_country = sorted_groups(countries);
  if (any_asn) out.flagged_by_asn = sorted_groups(asns);

  for (auto& [key, f] : forged_) {
    if (f.record.sightings == 0) f.record.first_ms = f.record.last_ms = f.fallback_ms;
    f.record.runs = std::max<std::uint64_t>(f.runs.size(), 1);
    out.forged.push_back(f.record);
  }
  std::stable_sort(out.forged.begin(), out.forged.end(), [](const ForgedRecord& a, const ForgedRecord& b) {
    return a.last_ms - a.first_ms > b.last_ms - b.first_ms;
  });
  std::stable_sort(out.trend.begin(), out.trend.end(), [](const TrendPoint& a, const TrendPoint& b) {
    return std::tie(a.run.started_ms, a.run.id) < std::tie(b.run.started_ms, b.run.id);
  });
  return out;
}

}  // namespace mxsentry
