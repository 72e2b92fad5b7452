#include "coordinator/cli/export_command.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "coordinator/analysis/verdict.h"
#include "coordinator/cli/export_output.h"
#include "protocol/dns/codes.h"
#include "results/cof_rows.h"
#include "results/cof_staging.h"
#include "results/csv_text.h"
#include "results/dnstap_records.h"
#include "results/dnstap_stream.h"
#include "results/json_text.h"
#include "results/time_text.h"

namespace mxsentry {

namespace {

// A line on a terminal saying how far the export is, at most once a second.
class Progress {
 public:
  Progress(bool on, std::ostream& err) : on_(on), err_(err) {}
  void tick(const char* what, std::uint64_t n) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    err_ << "\rexport: " << n << ' ' << what << "\x1b[K" << std::flush;
    shown_ = true;
  }
  void done(const std::string& summary) {
    if (!on_) return;
    err_ << (shown_ ? "\r" : "") << "export: " << summary << "\x1b[K\n" << std::flush;
  }

 private:
  bool on_;
  std::ostream& err_;
  std::chrono::steady_clock::time_point last_{};
  bool shown_ = false;
};

std::vector<std::string> evidence_codes(const Verdict& v) {
  std::vector<std::string> out;
  for (Evidence e : v.evidence) out.emplace_back(to_string(e));
  return out;
}

CofSighting sighting_of(const RunObservation& ro) {
  CofSighting s;
  s.sensor_id = cof_sensor_id(ro.vantage, ro.observation.resolver.to_string());
  s.origin = cof_origin(ro.run.kind, ro.run.id);
  s.time_ms = ro.observation.time_ms;
  s.bailiwick_owner = ro.bailiwick_owner;
  s.bailiwick = ro.bailiwick;
  if (ro.verdict && ro.verdict->flagged()) {
    s.verdict = to_string(ro.verdict->verdict);
    s.evidence = evidence_codes(*ro.verdict);
  }
  return s;
}

std::string export_cof(const ExportOptions& o, StoreKind kind, ExportOutput& out, Progress& progress) {
  CofStaging staging;
  std::uint64_t observations = 0;
  for_each_run_observation(o.selection, kind, [&](const RunObservation& ro) {
    CofSighting sighting = sighting_of(ro);
    for (const auto& section : timed_answers(ro.observation)) {
      sighting.time_ms = section.time_ms;
      for (const auto& row : cof_rows(*section.answers, sighting, o.rdata_per_record)) staging.add(row);
    }
    progress.tick("observations read", ++observations);
  });
  std::uint64_t imported = 0;
  for_each_imported_record(o.selection, kind, [&](CofRecord&& r) {
    ++imported;
    if (!o.rdata_per_record || r.rdata.size() == 1) {
      staging.add(r);
      return;
    }
    std::vector<std::string> all = std::move(r.rdata);
    for (auto& rdata : all) {
      r.rdata = {rdata};
      staging.add(r);
    }
  });
  std::uint64_t records = staging.for_each_record([&](const CofRecord& r) {
    append_cof_json(out.buffer(), r, o.rdata_per_record);
    out.maybe_flush();
  });
  return std::to_string(observations) + " observations and " + std::to_string(imported) + " imported records, " +
         std::to_string(records) + " COF records written";
}

std::string export_ioc(const ExportOptions& o, StoreKind kind, ExportOutput& out, Progress& progress) {
  ExportOptions flagged = o;
  if (flagged.selection.verdicts.empty()) flagged.selection.verdicts = {"suspicious", "poisoned"};
  CofStaging staging;
  std::uint64_t observations = 0;
  for_each_run_observation(flagged.selection, kind, [&](const RunObservation& ro) {
    progress.tick("observations read", ++observations);
    const Verdict& v = *ro.verdict;  // the selection keeps only observations with a verdict
    std::string resolver = ro.observation.resolver.to_string();
    for (const auto& section : timed_answers(ro.observation))
      for (const auto& f : forged_addresses(*section.answers, v.expected))
        staging.add_ioc(f.address, f.rrname, resolver, section.time_ms, section.time_ms, to_string(v.verdict));
  });
  for_each_imported_record(flagged.selection, kind, [&](CofRecord&& r) {
    if (r.rrtype != 1 && r.rrtype != 28) return;
    for (const auto& address : r.rdata)
      staging.add_ioc(address, r.rrname, r.sensor_id, r.time_first_ms, r.time_last_ms, r.verdict);
  });
  out.buffer() += "# forged addresses exported by mxsentry from " + o.selection.db +
                  ": one address a line, then when it was seen first and last, for which names, at which resolvers\n";
  std::uint64_t entries = staging.for_each_ioc([&](const IocEntry& e) {
    out.buffer() += format_ioc_line(e);
    out.maybe_flush();
  });
  return std::to_string(entries) + " forged addresses written";
}

// Frame Streams of dnstap records: a TOOL_QUERY and a TOOL_RESPONSE per answered observation
// (and a TOOL_RESPONSE per further differing response), their wire bytes rebuilt from the store.
std::string export_dnstap(const ExportOptions& o, StoreKind kind, ExportOutput& out, Progress& progress) {
  static const std::string version = "mxsentry 0.1.0";
  DnstapStream stream(out.buffer());
  std::string scratch, identity, extra;
  std::uint64_t observations = 0, records = 0, dropped = 0;
  auto emit = [&](std::string_view payload) {
    stream.write(payload);
    out.maybe_flush();
  };
  for_each_run_observation(o.selection, kind, [&](const RunObservation& ro) {
    identity = "mxsentry:" + ro.vantage;
    bool flagged = ro.verdict && ro.verdict->flagged();
    extra = dnstap_extra(cof_origin(ro.run.kind, ro.run.id), flagged ? to_string(ro.verdict->verdict) : "",
                         flagged ? evidence_codes(*ro.verdict) : std::vector<std::string>{});
    DnstapCounts counts = dnstap_records(ro.observation, {identity, version, extra}, scratch, emit);
    records += counts.records;
    dropped += counts.dropped_rrs;
    progress.tick("observations read", ++observations);
  });
  stream.finish();
  std::string summary = std::to_string(observations) + " observations, " + std::to_string(records) + " dnstap records written";
  if (dropped) summary += " (" + std::to_string(dropped) + " stored records ldns could not write were left out)";
  return summary;
}

std::string joined(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string export_verdicts(const ExportOptions& o, StoreKind kind, ExportOutput& out, Progress& progress) {
  bool csv = o.format == "csv";
  if (csv)
    append_csv_row(out.buffer(), {"run", "run_id", "vantage", "resolver", "qname", "qtype", "verdict", "confidence",
                                  "evidence", "observed", "expected", "ttl", "expected_ttl", "dnssec", "rcode",
                                  "attack"});
  std::uint64_t written = 0;
  for_each_run_verdict(o.selection, kind, [&](const ExportRun& run, const Verdict& v, const std::string& line) {
    std::string& text = out.buffer();
    if (csv) {
      std::string confidence;
      json::append_millis(confidence, v.confidence);  // three decimals
      append_csv_row(text, {run.kind, std::to_string(run.id), v.vantage, v.resolver.to_string(), v.qname,
                            rr_type_name(v.qtype), to_string(v.verdict), confidence, joined(evidence_codes(v), ' '),
                            joined(v.observed, ' '), joined(v.expected, ' '), std::to_string(v.ttl),
                            std::to_string(v.expected_ttl), v.dnssec, v.rcode < 0 ? "" : rcode_name(v.rcode),
                            v.attack});
    } else {
      // The run it belongs to first, then the verdict's own keys as `mxsentry results --json` has them.
      text += "{\"" + run.kind + "\":" + std::to_string(run.id);
      if (line.size() > 2) text += ',';
      text.append(line, 1, std::string::npos);
      text += '\n';
    }
    out.maybe_flush();
    progress.tick("verdicts written", ++written);
  });
  return std::to_string(written) + " verdicts written";
}

}  // namespace

int run_export(const ExportOptions& o, std::ostream& err) {
  try {
    StoreKind kind = store_kind(o.selection.db);
    ExportOutput out(o.out, o.selection.db);
    Progress progress(o.progress, err);
    std::string summary;
    if (o.format == "cof") {
      summary = export_cof(o, kind, out, progress);
    } else if (o.format == "dnstap") {
      summary = export_dnstap(o, kind, out, progress);
    } else if (o.format == "ioc") {
      summary = export_ioc(o, kind, out, progress);
    } else {
      summary = export_verdicts(o, kind, out, progress);
    }
    out.commit();
    progress.done(summary);
    return 0;
  } catch (const std::exception& e) {
    err << "mxsentry export: " << e.what() << "\n";
    return 2;
  }
}

namespace {

std::string check_time(const std::string& text) {
  return parse_time_arg(text) ? "" : "expected Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z (UTC): " + text;
}

std::string check_verdict_class(const std::string& text) {
  return verdict_class_from_string(text) ? "" : "not a verdict class: " + text;
}

}  // namespace

void add_export_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ExportOptions>();
  auto since = std::make_shared<std::string>();
  auto until = std::make_shared<std::string>();
  auto verdicts = std::make_shared<std::vector<std::string>>();
  auto sweep = std::make_shared<std::uint64_t>(0);
  auto check = std::make_shared<std::int64_t>(0);
  CLI::App* cmd = app.add_subcommand(
      "export",
      "A store's observations as passive-DNS records (COF) or dnstap, its verdicts (CSV, JSON lines) or forged addresses (IOC)");
  cmd->add_option("--db", options->selection.db, "A check file (mxsentry check --db) or a coordinator's file")->required();
  CLI::Option* sweep_opt = cmd->add_option("--sweep", *sweep, "Only this sweep (coordinator's file)");
  CLI::Option* check_opt = cmd->add_option("--check", *check, "Only this check (check file)");
  sweep_opt->excludes(check_opt);
  cmd->add_option("--since", *since, "Only what was seen at or after (Unix seconds or UTC YYYY-MM-DD[THH:MM[:SS]Z])")
      ->check(CLI::Validator(check_time, "TIME"));
  cmd->add_option("--until", *until, "Only what was seen at or before")->check(CLI::Validator(check_time, "TIME"));
  cmd->add_option("--verdict", *verdicts, "Only observations and verdicts of these classes (poisoned, suspicious, ...)")
      ->check(CLI::Validator(check_verdict_class, "CLASS"));
  cmd->add_option("--format", options->format, "cof, dnstap, csv, jsonl or ioc")
      ->required()
      ->check(CLI::IsMember({"cof", "dnstap", "csv", "jsonl", "ioc"}));
  cmd->add_option("--out", options->out, "File to write (default: standard output)");
  cmd->add_flag("--rdata-per-record", options->rdata_per_record,
                "COF: one record per rdata, `rdata` a string (for importers that read it as one string)");
  cmd->callback([&run, options, since, until, verdicts, sweep, check, sweep_opt, check_opt] {
    auto& s = options->selection;
    if (sweep_opt->count()) s.sweep = *sweep;
    if (check_opt->count()) s.check = *check;
    if (!since->empty()) s.since_ms = *parse_time_arg(*since);
    if (!until->empty()) s.until_ms = *parse_time_arg(*until) + 999;  // the whole second named
    s.verdicts = std::set<std::string>(verdicts->begin(), verdicts->end());
    options->progress = isatty(STDERR_FILENO) == 1;
    run = [options] { return run_export(*options, std::cerr); };
  });
}

}  // namespace mxsentry
