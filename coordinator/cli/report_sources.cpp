#include "coordinator/cli/report_sources.h"

#include <map>
#include <memory>
#include <stdexcept>

#include "coordinator/analysis/verdict.h"
#include "coordinator/check/check_schema.h"
#include "coordinator/cli/export_sources.h"
#include "coordinator/sweep/sweep_schema.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/dns/codes.h"
#include "results/cof_rows.h"
#include "results/report/report_builder.h"
#include "results/sqlite_db.h"
#include "targets/asn_database.h"
#include "targets/resolver_catalog.h"

namespace mxsentry {

namespace {

using RunKey = std::pair<std::string, std::int64_t>;

struct StoreRuns {
  std::map<RunKey, ReportRun> runs;                       // every run of the store
  std::map<RunKey, ClassCounts> counts;                   // its verdicts per class
  std::map<std::string, std::uint32_t> resolver_asns;     // from the store (sweeps), by resolver
};

StoreRuns read_runs(const std::string& path, StoreKind kind) {
  StoreRuns out;
  if (kind == StoreKind::check) {
    SqliteDb db(path, check_schema());
    Statement runs(db, "SELECT id, started_ms, vantage, domains FROM checks ORDER BY id");
    while (runs.step()) {
      ReportRun r{"check", runs.integer(0), runs.integer(1), runs.text(3) + " from " + runs.text(2)};
      out.runs[{r.kind, r.id}] = r;
    }
    Statement counts(db, "SELECT check_id, verdict, count(*) FROM verdicts GROUP BY check_id, verdict");
    while (counts.step()) out.counts[{"check", counts.integer(0)}][counts.text(1)] = counts.integer(2);
    return out;
  }
  SweepStore store(path);
  for (const auto& s : store.sweeps()) {
    ReportRun r{"sweep", static_cast<std::int64_t>(s.id), s.created_ms, s.name + " (" + s.state + ")"};
    out.runs[{r.kind, r.id}] = r;
    for (const auto& [resolver, asn] : store.resolver_asns(s.id)) out.resolver_asns.emplace(resolver, asn);
    // With the plain matches that have no row of their own (docs/storage.md).
    for (const auto& [verdict, count] : store.verdict_counts(s.id))
      out.counts[{"sweep", r.id}][verdict] = static_cast<std::int64_t>(count);
  }
  return out;
}

ReportVerdict report_verdict(const Verdict& v) {
  ReportVerdict r;
  r.vantage = v.vantage;
  r.resolver = v.resolver.to_string();
  r.qname = v.qname;
  r.qtype = rr_type_name(v.qtype);
  r.verdict = to_string(v.verdict);
  r.confidence = v.confidence;
  for (Evidence e : v.evidence) r.evidence.emplace_back(to_string(e));
  r.observed = v.observed;
  r.expected = v.expected;
  r.ttl = v.ttl;
  r.expected_ttl = v.expected_ttl;
  r.attack = v.attack;
  return r;
}

std::string selection_text(const ReportOptions& o) {
  if (o.sweep) return "sweep " + std::to_string(*o.sweep);
  if (o.check) return "check " + std::to_string(*o.check);
  return "every run";
}

}  // namespace

ReportData gather_report(const ReportOptions& o, std::int64_t now_ms) {
  std::optional<StoreKind> any_kind = store_kind_if_any(o.db);
  if (!any_kind) throw std::runtime_error(o.db + ": an empty database (no tables), nothing to report");
  StoreKind kind = *any_kind;
  ExportSelection selection;
  selection.db = o.db;
  selection.sweep = o.sweep;
  selection.check = o.check;

  std::map<std::string, ResolverInfo> catalog;
  if (!o.resolvers_path.empty())
    for (auto& info : load_resolver_catalog(o.resolvers_path, ResolverListOptions{true}).resolvers)
      catalog.emplace(info.address.to_string(), std::move(info));
  std::unique_ptr<AsnDatabase> asn_db;
  if (!o.asn_db_path.empty()) asn_db = load_asn_database(o.asn_db_path);

  StoreRuns store = read_runs(o.db, kind);
  ReportContext context{o.db, selection_text(o), now_ms, nullptr, nullptr};
  auto asn_of = [db = asn_db.get()](const std::string& address) -> std::uint32_t {
    if (!db) return 0;
    auto endpoint = Endpoint::parse(address);
    if (!endpoint) return 0;
    auto info = db->lookup(*endpoint);
    return info && !info->asns.empty() ? info->asns.front() : 0;
  };
  context.origin_of = [&catalog, &store, asn_of](const std::string& resolver) {
    ResolverOrigin origin;
    if (auto it = catalog.find(resolver); it != catalog.end()) {
      origin.country = it->second.country;
      origin.asn = it->second.asn;
    }
    if (origin.asn == 0)
      if (auto it = store.resolver_asns.find(resolver); it != store.resolver_asns.end()) origin.asn = it->second;
    if (origin.asn == 0) origin.asn = asn_of(resolver);
    return origin;
  };
  context.asn_of_address = [asn_of](const std::string& address) {
    std::uint32_t asn = asn_of(address);
    return asn ? "AS" + std::to_string(asn) : std::string();
  };

  ReportBuilder builder(std::move(context));
  auto run_of = [&store](const ExportRun& run) -> const ReportRun& {
    auto it = store.runs.find({run.kind, run.id});
    if (it == store.runs.end()) throw std::runtime_error("a run that is not in the store: " + run.kind);
    return it->second;
  };
  for (const auto& [key, run] : store.runs) {
    bool selected = (!o.sweep && !o.check) || (o.sweep && key.second == static_cast<std::int64_t>(*o.sweep)) ||
                    (o.check && key.second == *o.check);
    if (selected) builder.add_run(run);
    builder.add_trend(run, store.counts[key]);
  }
  // Throws for a run that is not in the store, or an option that does not fit its kind.
  for_each_run_verdict(
      selection, kind,
      [&](const ExportRun& run, const Verdict& v, const std::string&) { builder.add_verdict(run_of(run), report_verdict(v)); },
      false);  // the Verdicts only: the implied ones are not written as JSON to be parsed back

  // Forged records over every run of the store: only answers judged flagged can hold them.
  ExportSelection every_run;
  every_run.db = o.db;
  every_run.verdicts = {"suspicious", "poisoned"};
  for_each_run_observation(every_run, kind, [&](const RunObservation& ro) {
    const Observation& obs = ro.observation;
    std::string resolver = obs.resolver.to_string(), qtype = rr_type_name(obs.qtype);
    const ReportRun& run = run_of(ro.run);
    for (const auto& section : timed_answers(obs))
      for (const auto& record : *section.answers)
        if (record.type == obs.qtype)
          builder.add_sighting(run, resolver, obs.qname, qtype, record.rdata, section.time_ms);
  });
  return builder.finish();
}

}  // namespace mxsentry
