#include "coordinator/cli/passive_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <variant>

#include <nlohmann/json.hpp>

#include "coordinator/analysis/passive_groups.h"
#include "coordinator/analysis/passive_output.h"
#include "coordinator/check/check_schema.h"
#include "coordinator/cli/common_options.h"
#include "coordinator/cli/export_sources.h"
#include "protocol/dns/codes.h"
#include "results/cof_staging.h"
#include "results/cof_table.h"
#include "results/record_json.h"
#include "results/sqlite_db.h"
#include "targets/asn_database.h"
#include "targets/ioc_list.h"

namespace mxsentry {

namespace {

struct Tally {
  std::uint64_t names = 0, verdicts = 0, poisoned = 0, suspicious = 0, bad_lines = 0;
};

// The newest active truth a check file holds for a name and type: its addresses of that type.
class TruthAddresses {
 public:
  explicit TruthAddresses(SqliteDb& db)
      : query_(db, "SELECT json FROM truths WHERE lower(rtrim(qname, '.')) = ? AND qtype = ? "
                   "ORDER BY check_id DESC LIMIT 1") {}
  std::optional<std::vector<std::string>> find(const std::string& rrname, std::uint16_t rrtype) {
    std::string key;
    for (char c : rrname) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    while (!key.empty() && key.back() == '.') key.pop_back();
    query_.bind(1, key).bind(2, rr_type_name(rrtype));
    std::optional<std::vector<std::string>> out;
    while (query_.step()) {
      auto j = nlohmann::json::parse(query_.text(0), nullptr, false);
      if (!j.is_object() || !j.contains("answers")) continue;
      std::vector<std::string> addresses;
      try {
        for (const auto& r : parse_records_json(j["answers"].dump()))
          if (r.type == rrtype) addresses.push_back(r.rdata);
      } catch (const std::invalid_argument&) {
        continue;  // a truth line this version cannot read decides nothing
      }
      if (!addresses.empty()) out = std::move(addresses);  // a truth without addresses decides nothing
    }
    return out;
  }

 private:
  Statement query_;
};

void stage_stream(std::istream& in, const std::string& name, CofStaging& staging, Tally& tally, std::ostream& err) {
  std::string line;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto parsed = parse_cof_line(line);
    if (auto* bad = std::get_if<CofLineError>(&parsed)) {
      err << name << ":" << line_no << ": " << bad->reason << "\n";
      ++tally.bad_lines;
      continue;
    }
    const auto& record = std::get<CofRecord>(parsed);
    if (passive_type(record.rrtype)) staging.add(record);
  }
  if (in.bad()) throw std::runtime_error(name + ": read error");
}

}  // namespace

int run_passive(const PassiveOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    if (o.files.empty() == o.db.empty()) throw std::runtime_error("give COF files or --db, not both");
    AnalysisConfig config;
    if (!o.thresholds_path.empty()) config = load_analysis_config(o.thresholds_path);
    std::unique_ptr<AsnDatabase> asn_db;
    if (!o.asn_db_path.empty()) asn_db = load_asn_database(o.asn_db_path);
    std::unique_ptr<PrefixList> ioc;
    if (!o.ioc_path.empty()) ioc = std::make_unique<PrefixList>(load_ioc_list(o.ioc_path));

    PassiveContext context;
    context.config = &config;
    context.ioc = ioc.get();
    context.switch_window_ms = o.switch_window_s * 1000;
    if (asn_db) {
      const AsnDatabase* db = asn_db.get();
      context.asns_of = [db](const Endpoint& address) {
        auto info = db->lookup(address);
        return info ? info->asns : std::vector<std::uint32_t>{};
      };
    }

    Tally tally;
    std::string text;
    if (!o.json) text = passive_table_heading();
    std::unique_ptr<SqliteDb> store;
    std::unique_ptr<TruthAddresses> truths;
    if (!o.db.empty()) {
      if (store_kind(o.db) != StoreKind::check)
        throw std::runtime_error(o.db + ": a coordinator's file; imported records are kept in check files");
      store = std::make_unique<SqliteDb>(o.db, check_schema());
      truths = std::make_unique<TruthAddresses>(*store);
    }
    PassiveGrouper grouper([&](const PassiveName& name) {
      ++tally.names;
      if (truths) context.truth = truths->find(name.rrname, name.rrtype);
      for (const auto& v : analyse_passive_name(name, context)) {
        ++tally.verdicts;
        tally.poisoned += v.verdict == VerdictClass::poisoned;
        tally.suspicious += v.verdict == VerdictClass::suspicious;
        if (o.json) {
          append_passive_json(text, v);
        } else {
          append_passive_row(text, v);
        }
      }
      if (text.size() > (1 << 16)) {
        out << text;
        text.clear();
      }
    });
    if (store) {
      for_each_cof_row_by_name(*store, {1, 28}, [&](CofRecord&& r) { grouper.add(r); });
    } else {
      CofStaging staging;  // a temporary SQLite file sorts the records by name on disk
      for (const auto& file : o.files) {
        if (file == "-") {
          stage_stream(in, "-", staging, tally, err);
          continue;
        }
        std::ifstream stream(file, std::ios::binary);
        if (!stream) throw std::runtime_error(file + ": cannot be read");
        stage_stream(stream, file, staging, tally, err);
      }
      staging.for_each_row_by_name([&](const CofRecord& r) { grouper.add(r); });
    }
    grouper.finish();
    out << text << std::flush;
    if (!out) throw std::runtime_error("cannot write the output");
    err << "mxsentry passive: " << tally.names << " names, " << tally.verdicts << " addresses: " << tally.poisoned
        << " poisoned, " << tally.suspicious << " suspicious";
    if (tally.bad_lines) err << "; " << tally.bad_lines << " bad lines skipped";
    err << "\n";
    return tally.poisoned + tally.suspicious > 0 ? 1 : 0;
  } catch (const std::exception& e) {
    err << "mxsentry passive: " << e.what() << "\n";
    return 2;
  }
}

void add_passive_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<PassiveOptions>();
  CLI::App* cmd = app.add_subcommand(
      "passive", "Forged A/AAAA records in passive DNS: answers that differ between sensors at the same time");
  CLI::Option* files = cmd->add_option("files", options->files, "COF files, one JSON record a line (- for standard input)");
  CLI::Option* db = cmd->add_option("--db", options->db, "A check file with records imported by `mxsentry import` (its truths are used)");
  files->excludes(db);
  add_judging_options(*cmd, options->asn_db_path, options->ioc_path, options->thresholds_path);
  cmd->add_option("--switch-window", options->switch_window_s,
                  "Seconds within which every sensor's switch counts as one renumbering")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{365} * 86400));
  cmd->add_flag("--json", options->json, "One JSON object a line per (rrname, rrtype, rdata)");
  cmd->callback([&run, options, files, db] {
    if (!files->count() && !db->count()) throw CLI::RequiredError("FILE... or --db");
    run = [options] { return run_passive(*options, std::cin, std::cout, std::cerr); };
  });
}

}  // namespace mxsentry
