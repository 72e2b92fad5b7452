#include "coordinator/cli/results_command.h"

#include <iostream>
#include <memory>
#include <vector>

#include <sqlite3.h>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/cli/common_options.h"
#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/sweep/sweep_store.h"

namespace mxsentry {

namespace {

/// Refuses a file that is not already a coordinator's database: opened as a SweepStore, a
/// missing file would be created, another program's database given the sweep tables.
void require_sweep_database(const std::string& db) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  bool has_sweeps = false;
  if (rc == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweeps'", -1,
                           &statement, nullptr) == SQLITE_OK)
      has_sweeps = sqlite3_step(statement) == SQLITE_ROW;
    sqlite3_finalize(statement);
  }
  sqlite3_close(handle);
  if (rc != SQLITE_OK) throw std::runtime_error(db + ": no such database (the coordinator's --db)");
  if (!has_sweeps) throw std::runtime_error(db + ": not a coordinator's database (no sweeps table); left as it was");
}

}  // namespace

int write_sweep_results(const std::string& db, std::uint64_t sweep, bool as_json, std::ostream& out, std::ostream& err) {
  try {
    require_sweep_database(db);
    SweepStore store(db);
    std::optional<StoredSweep> stored = store.sweep(sweep);
    if (!stored) throw std::runtime_error(db + ": no sweep " + std::to_string(sweep));
    std::vector<std::string> lines = store.verdict_lines(sweep);
    if (stored->state == "running")
      err << "mxsentry results: sweep " << sweep << " is still running (its verdicts are stored when it ends)\n";
    std::string text;
    if (as_json) {
      for (const auto& line : lines) text += line + "\n";
    } else {
      std::vector<Verdict> verdicts;
      std::vector<const Verdict*> all;
      for (const auto& line : lines) verdicts.push_back(parse_verdict_json(line));
      for (const auto& v : verdicts) all.push_back(&v);
      text = "sweep " + std::to_string(sweep) + ": " + std::to_string(verdicts.size()) + " verdicts";
      if (!verdicts.empty()) text += ", " + format_counts(count_verdicts(all));
      text += "\n";
      std::string table = format_verdict_table(verdicts);
      if (!table.empty()) text += "\n" + table;
    }
    out << text << std::flush;
    return 0;
  } catch (const std::exception& e) {
    err << "mxsentry results: " << e.what() << "\n";
    return 2;
  }
}

void add_results_command(CLI::App& app, std::function<int()>& run) {
  auto db = std::make_shared<std::string>();
  auto sweep = std::make_shared<std::uint64_t>(0);
  auto as_json = std::make_shared<bool>(false);
  CLI::App* results = app.add_subcommand(
      "results", "A sweep's verdicts: a summary and the table of what is not consistent, or every verdict as JSON");
  results->add_option("--db", *db, "The coordinator's database")->required();
  results->add_option("--sweep", *sweep, "Sweep id")->required()->check(sweep_id_check());
  results->add_flag("--json", *as_json, "One verdict a line as JSON (every verdict, consistent ones too)");
  // Every option's storage must outlive parsing: the callback keeps each shared_ptr alive.
  results->callback([&run, db, sweep, as_json] {
    run = [=] { return write_sweep_results(*db, *sweep, *as_json, std::cout, std::cerr); };
  });
}

}  // namespace mxsentry
