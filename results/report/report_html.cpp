#include "results/report/report_html.h"

#include <algorithm>
#include <cstdio>

#include "results/report/html_table.h"
#include "results/report/html_text.h"
#include "results/report/report_page.h"
#include "results/report/svg_chart.h"
#include "results/time_text.h"

namespace mxsentry {

namespace {

// Charts draw at most this many rows (the tables below them have every row).
constexpr std::size_t chart_rows = 40;
constexpr std::size_t host_charts = 30;
constexpr std::size_t answers_per_host_chart = 15;
constexpr std::size_t summary_runs = 10;  // runs named in the summary

std::string verdict_class(const std::string& verdict) { return "v-" + verdict; }

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

std::string run_label(const ReportRun& run) { return run.kind + " " + std::to_string(run.id); }

std::string duration_text(std::int64_t ms) {
  std::int64_t s = ms / 1000;
  char text[64];
  if (s < 120)
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s));
  else if (s < 7200)
    std::snprintf(text, sizeof text, "%lldm %llds", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  else if (s < 172800)
    std::snprintf(text, sizeof text, "%lldh %lldm", static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60));
  else
    std::snprintf(text, sizeof text, "%lldd %lldh", static_cast<long long>(s / 86400), static_cast<long long>(s / 3600 % 24));
  return text;
}

void heading(std::string& out, const char* id, const char* text) {
  out += std::string("<h2 id=\"") + id + "\">" + text + "</h2>\n";
}

void note(std::string& out, const std::string& text) {
  out += "<p class=\"note\">";
  append_escaped(out, text);
  out += "</p>\n";
}

void legend(std::string& out, const std::vector<std::pair<std::string, std::string>>& items) {
  out += "<p class=\"legend\">";
  for (const auto& [css, text] : items) {
    out += "<span><i class=\"" + chart_class(css) + "\"></i>";
    append_escaped(out, text);
    out += "</span>";
  }
  out += "</p>\n";
}

void verdict_legend(std::string& out) {
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& c : report_verdict_classes()) items.push_back({verdict_class(c), c});
  legend(out, items);
}

std::vector<BarSegment> class_segments(const ClassCounts& counts) {
  std::vector<BarSegment> segments;
  for (const auto& c : report_verdict_classes()) {
    auto it = counts.find(c);
    if (it != counts.end()) segments.push_back({it->second, verdict_class(c)});
  }
  return segments;
}

std::uint64_t count_of(const ClassCounts& counts, const std::string& c) {
  auto it = counts.find(c);
  return it == counts.end() ? 0 : it->second;
}

void summary_row(std::string& out, const std::string& name, const std::string& value) {
  out += "<tr><th>";
  append_escaped(out, name);
  out += "</th><td>";
  append_escaped(out, value);
  out += "</td></tr>\n";
}

void summary(std::string& out, const ReportData& d) {
  heading(out, "summary", "Summary");
  out += "<table class=\"summary\">\n";
  summary_row(out, "store", d.source);
  summary_row(out, "asked for", d.selection);
  summary_row(out, "report made", format_utc(d.generated_ms));
  for (std::size_t i = 0; i < d.runs.size() && i < summary_runs; ++i) {
    const ReportRun& run = d.runs[i];
    summary_row(out, run_label(run), "started " + format_utc(run.started_ms) + (run.about.empty() ? "" : ", " + run.about));
  }
  if (d.runs.size() > summary_runs)
    summary_row(out, "more runs", std::to_string(d.runs.size() - summary_runs) + " (the trend lists every run)");
  summary_row(out, "resolvers", std::to_string(d.resolvers));
  summary_row(out, "names", std::to_string(d.targets));
  summary_row(out, "questions (name, type)", std::to_string(d.per_target.size()));
  summary_row(out, "verdicts", std::to_string(d.verdicts));
  summary_row(out, "flagged verdicts", std::to_string(d.flagged.size()));
  summary_row(out, "resolvers with a flagged verdict", std::to_string(d.flagged_resolvers));
  out += "</table>\n";
  if (d.verdicts == 0) {
    note(out, "No verdicts: the store holds none for what was asked (a sweep still running, or an empty store).");
    return;
  }
  BarChart chart{"verdicts by class", {}};
  for (const auto& c : report_verdict_classes())
    if (count_of(d.counts, c)) chart.rows.push_back({c, {{count_of(d.counts, c), verdict_class(c)}}});
  out += "<h3>Verdicts by class</h3>\n" + bar_chart_svg(chart);
}

void flagged_section(std::string& out, const ReportData& d) {
  heading(out, "flagged", "Flagged resolvers and hosts");
  if (d.flagged.empty()) {
    note(out, "Nothing was flagged: no verdict is suspicious or poisoned.");
    return;
  }
  HtmlTable table{"flagged-table",
                  {{"run"}, {"verdict"}, {"confidence", true}, {"resolver"}, {"country"}, {"AS"}, {"vantage"},
                   {"name"}, {"type"}, {"evidence"}, {"observed"}, {"expected"}, {"TTL", true}, {"truth TTL", true},
                   {"attack"}},
                  {}};
  for (const auto& f : d.flagged) {
    const ReportVerdict& v = f.verdict;
    char confidence[32];
    std::snprintf(confidence, sizeof confidence, "%.2f", v.confidence);
    table.rows.push_back({{f.run}, {v.verdict, "", verdict_class(v.verdict)}, {confidence}, {v.resolver},
                          {f.origin.country}, {f.origin.asn ? "AS" + std::to_string(f.origin.asn) : ""}, {v.vantage},
                          {v.qname}, {v.qtype}, {joined(v.evidence, " ")}, {joined(v.observed, ", ")},
                          {joined(v.expected, ", ")}, {std::to_string(v.ttl)}, {std::to_string(v.expected_ttl)},
                          {v.attack}});
  }
  out += html_table(table);
}

void origin_section(std::string& out, const ReportData& d) {
  if (d.flagged.empty()) return;
  heading(out, "origins", "Flagged resolvers by country and AS");
  auto chart = [&](const std::vector<GroupCount>& groups, const char* title, const char* missing) {
    out += std::string("<h3>") + title + "</h3>\n";
    if (groups.empty()) {
      note(out, missing);
      return;
    }
    BarChart c{title, {}};
    for (std::size_t i = 0; i < groups.size() && i < chart_rows; ++i)
      c.rows.push_back({groups[i].group, {{groups[i].resolvers, "flagged"}}});
    out += bar_chart_svg(c);
  };
  chart(d.flagged_by_country, "by country",
        "No country is known for these resolvers (give --resolvers a catalog with country= tags or a CSV).");
  chart(d.flagged_by_asn, "by AS",
        "No AS is known for these resolvers (give --asn-db, or --resolvers a catalog with asn= tags).");
}

void targets_section(std::string& out, const ReportData& d) {
  if (d.per_target.empty()) return;
  heading(out, "targets", "Verdicts per target");
  verdict_legend(out);
  // Questions with flags first in the chart, so a long list still shows them.
  std::vector<const TargetCounts*> order;
  for (const auto& t : d.per_target) order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](const TargetCounts* a, const TargetCounts* b) {
    auto flags = [](const TargetCounts* t) { return count_of(t->counts, "poisoned") + count_of(t->counts, "suspicious"); };
    return flags(a) > flags(b);
  });
  BarChart chart{"verdicts per target", {}};
  for (std::size_t i = 0; i < order.size() && i < chart_rows; ++i)
    chart.rows.push_back({order[i]->qname + " " + order[i]->qtype, class_segments(order[i]->counts)});
  out += bar_chart_svg(chart);
  if (order.size() > chart_rows) note(out, "The chart shows " + std::to_string(chart_rows) + " of " + std::to_string(order.size()) + " questions; the table has them all.");
  HtmlTable table{"targets-table", {{"name"}, {"type"}}, {}};
  for (const auto& c : report_verdict_classes()) table.columns.push_back({c, true});
  for (const auto& t : d.per_target) {
    std::vector<HtmlCell> row{{t.qname}, {t.qtype}};
    for (const auto& c : report_verdict_classes()) row.push_back({std::to_string(count_of(t.counts, c))});
    table.rows.push_back(std::move(row));
  }
  out += html_table(table);
}

void hosts_section(std::string& out, const ReportData& d) {
  if (d.hosts.empty()) return;
  heading(out, "answers", "Answers per host");
  note(out, "Each answer's records and how many resolvers gave them (a resolver asked from two vantages counts twice); "
            "red: not in the authoritative truth.");
  legend(out, {{"in-truth", "in the truth"}, {"forged", "not in the truth"}});
  std::size_t drawn = 0;
  for (const auto& host : d.hosts) {
    if (drawn == host_charts) break;
    if (host.answers.empty()) continue;
    ++drawn;
    out += "<h3>";
    append_escaped(out, host.qname + " " + host.qtype);
    if (host.flagged) out += " <span class=\"note\">(" + std::to_string(host.flagged) + " flagged)</span>";
    out += "</h3>\n";
    BarChart chart{host.qname + " " + host.qtype, {}};
    for (std::size_t i = 0; i < host.answers.size() && i < answers_per_host_chart; ++i) {
      const AnswerShare& a = host.answers[i];
      chart.rows.push_back({a.rdata + (a.asn.empty() ? "" : " (" + a.asn + ")"),
                            {{a.resolvers, a.in_truth ? "in-truth" : "forged"}}});
    }
    out += bar_chart_svg(chart);
  }
  HtmlTable table{"answers-table", {{"name"}, {"type"}, {"record"}, {"resolvers", true}, {"AS"}, {"in truth"}}, {}};
  for (const auto& host : d.hosts)
    for (const auto& a : host.answers)
      table.rows.push_back({{host.qname}, {host.qtype}, {a.rdata, "", a.in_truth ? "in-truth" : "forged"},
                            {std::to_string(a.resolvers)}, {a.asn}, {a.in_truth ? "yes" : "no"}});
  out += html_table(table);
}

void persistence_section(std::string& out, const ReportData& d) {
  if (d.forged.empty()) return;
  heading(out, "persistence", "How long forged records persisted");
  note(out, "First and last time each forged record was seen at a resolver, over every run the store holds.");
  Timeline timeline{"forged records, first to last seen", {}};
  for (std::size_t i = 0; i < d.forged.size() && i < chart_rows; ++i) {
    const ForgedRecord& f = d.forged[i];
    timeline.rows.push_back({f.resolver + " " + f.qname + " " + f.rdata, f.first_ms, f.last_ms, "forged"});
  }
  out += timeline_svg(timeline);
  HtmlTable table{"persistence-table",
                  {{"resolver"}, {"name"}, {"type"}, {"record"}, {"first seen"}, {"last seen"}, {"for", true},
                   {"sightings", true}, {"runs", true}},
                  {}};
  for (const auto& f : d.forged)
    table.rows.push_back({{f.resolver}, {f.qname}, {f.qtype}, {f.rdata}, {format_utc(f.first_ms)}, {format_utc(f.last_ms)},
                          {duration_text(f.last_ms - f.first_ms), std::to_string(f.last_ms - f.first_ms)},
                          {std::to_string(f.sightings)}, {std::to_string(f.runs)}});
  out += html_table(table);
}

void trend_section(std::string& out, const ReportData& d) {
  if (d.trend.empty()) return;
  heading(out, "trend", "Trend across runs");
  if (d.trend.size() == 1) note(out, "The store holds one run: a trend needs more.");
  verdict_legend(out);
  BarChart chart{"verdicts per run", {}};
  std::size_t first = d.trend.size() > chart_rows ? d.trend.size() - chart_rows : 0;  // the latest runs
  for (std::size_t i = first; i < d.trend.size(); ++i)
    chart.rows.push_back({run_label(d.trend[i].run) + ", " + format_utc(d.trend[i].run.started_ms),
                          class_segments(d.trend[i].counts)});
  out += bar_chart_svg(chart);
  HtmlTable table{"trend-table", {{"run"}, {"started"}, {"about"}, {"flagged", true}}, {}};
  for (const auto& c : report_verdict_classes()) table.columns.push_back({c, true});
  for (const auto& t : d.trend) {
    std::vector<HtmlCell> row{{run_label(t.run), std::to_string(t.run.id)}, {format_utc(t.run.started_ms)}, {t.run.about},
                              {std::to_string(count_of(t.counts, "poisoned") + count_of(t.counts, "suspicious"))}};
    for (const auto& c : report_verdict_classes()) row.push_back({std::to_string(count_of(t.counts, c))});
    table.rows.push_back(std::move(row));
  }
  out += html_table(table);
}

}  // namespace

std::string render_report_html(const ReportData& d) {
  std::string out = report_page_head("mxsentry report: " + d.selection + " of " + d.source);
  out += "<h1>mxsentry report</h1>\n<p>";
  append_escaped(out, d.selection + " of " + d.source + ", made " + format_utc(d.generated_ms));
  out += "</p>\n<nav><a href=\"#summary\">summary</a> · <a href=\"#flagged\">flagged</a> · "
         "<a href=\"#targets\">per target</a> · <a href=\"#answers\">answers per host</a> · "
         "<a href=\"#persistence\">persistence</a> · <a href=\"#trend\">trend</a></nav>\n";
  summary(out, d);
  flagged_section(out, d);
  origin_section(out, d);
  targets_section(out, d);
  hosts_section(out, d);
  persistence_section(out, d);
  trend_section(out, d);
  out += report_page_end();
  return out;
}

}  // namespace mxsentry
