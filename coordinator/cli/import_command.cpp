#include "coordinator/cli/import_command.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <variant>

#include "coordinator/check/check_schema.h"
#include "coordinator/cli/export_sources.h"
#include "results/cof_table.h"
#include "results/sqlite_db.h"

namespace mxsentry {

namespace {

// Lines per transaction: one commit per line would make a large import take minutes.
constexpr std::uint64_t batch_lines = 20000;

struct ImportCounts {
  std::uint64_t records = 0, kept_before = 0, bad = 0;
};

void import_stream(std::istream& in, const std::string& name, SqliteDb& db, CofTableWriter& writer,
                   std::int64_t now_ms, ImportCounts& counts, std::ostream& err) {
  std::string line;
  std::int64_t line_no = 0;
  std::uint64_t in_batch = 0;
  db.exec("BEGIN IMMEDIATE");
  try {
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      auto parsed = parse_cof_line(line);
      if (auto* bad = std::get_if<CofLineError>(&parsed)) {
        err << name << ":" << line_no << ": " << bad->reason << "\n";
        ++counts.bad;
        continue;
      }
      if (writer.insert(std::get<CofRecord>(parsed), name, line_no, now_ms)) {
        ++counts.records;
      } else {
        ++counts.kept_before;
      }
      if (++in_batch == batch_lines) {
        db.exec("COMMIT");
        db.exec("BEGIN IMMEDIATE");
        in_batch = 0;
      }
    }
    if (in.bad()) throw std::runtime_error(name + ": read error");
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace

int run_import(const ImportOptions& o, std::istream& in, std::ostream& err) {
  try {
    if (std::filesystem::exists(o.db) && store_kind_if_any(o.db).value_or(StoreKind::check) != StoreKind::check)
      throw std::runtime_error(o.db + ": a coordinator's file; records are imported into a check file");
    SqliteDb db(o.db, check_schema());
    CofTableWriter writer(db);
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    ImportCounts counts;
    for (const auto& file : o.files) {
      if (file == "-") {
        import_stream(in, "-", db, writer, now_ms, counts, err);
        continue;
      }
      std::ifstream stream(file, std::ios::binary);
      if (!stream) throw std::runtime_error(file + ": cannot be read");
      import_stream(stream, file, db, writer, now_ms, counts, err);
    }
    err << "mxsentry import: " << counts.records << " records imported";
    if (counts.kept_before) err << ", " << counts.kept_before << " kept already";
    if (counts.bad) err << ", " << counts.bad << " bad lines skipped";
    err << "\n";
    return counts.bad ? 1 : 0;
  } catch (const std::exception& e) {
    err << "mxsentry import: " << e.what() << "\n";
    return 2;
  }
}

void add_import_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Passive-DNS records from COF files into a check file");
  cmd->add_option("files", options->files, "COF files, one JSON record a line (- for standard input)")->required();
  cmd->add_option("--db", options->db, "The check file to keep them in (created when missing)")->required();
  cmd->add_option("--format", options->format, "cof")->required()->check(CLI::IsMember({"cof"}));
  cmd->callback([&run, options] { run = [options] { return run_import(*options, std::cin, std::cerr); }; });
}

}  // namespace mxsentry
