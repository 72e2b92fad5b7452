#include "coordinator/cli/report_command.h"

#include <chrono>
#include <iostream>
#include <memory>

#include "coordinator/cli/common_options.h"
#include "coordinator/cli/export_output.h"
#include "results/report/report_html.h"

namespace mxsentry {

int run_report(const ReportOptions& o, std::ostream& err) {
  try {
    // Refused before anything is read: the page must never replace the store.
    if (o.out != "-" && names_database(o.out, o.db))
      throw std::runtime_error(o.out + ": is the database the report reads (" + o.db + "); nothing written");
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    ReportData data = gather_report(o, now.count());
    ExportOutput out(o.out, o.db);
    out.buffer() = render_report_html(data);
    out.commit();
    return 0;
  } catch (const std::exception& e) {
    err << "mxsentry report: " << e.what() << "\n";
    return 2;
  }
}

void add_report_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ReportOptions>();
  auto sweep = std::make_shared<std::uint64_t>(0);
  auto check = std::make_shared<std::int64_t>(0);
  CLI::App* cmd = app.add_subcommand(
      "report", "A store's runs as one self-contained HTML page: summary, flagged resolvers, charts, tables");
  cmd->add_option("--db", options->db, "A check file (mxsentry check --db) or a coordinator's file")->required();
  CLI::Option* sweep_opt = cmd->add_option("--sweep", *sweep, "Only this sweep (coordinator's file)")->check(sweep_id_check());
  CLI::Option* check_opt = cmd->add_option("--check", *check, "Only this check (check file)");
  sweep_opt->excludes(check_opt);
  cmd->add_option("--out", options->out, "The HTML file to write (written whole, then renamed into place)")->required();
  cmd->add_option("--resolvers", options->resolvers_path,
                  "A resolver catalog (country= and asn= tags, or public-dns.info CSV): flagged resolvers by country and AS");
  cmd->add_option("--asn-db", options->asn_db_path, "pfx2as or .mmdb: the ASes of answer addresses and resolvers");
  cmd->callback([&run, options, sweep, check, sweep_opt, check_opt] {
    if (sweep_opt->count()) options->sweep = *sweep;
    if (check_opt->count()) options->check = *check;
    run = [options] { return run_report(*options, std::cerr); };
  });
}

}  // namespace mxsentry
