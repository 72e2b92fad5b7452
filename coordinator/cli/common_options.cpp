#include "coordinator/cli/common_options.h"

#include "prober/core/command_line.h"

namespace mxsentry {

CLI::Option* add_timeout_option(CLI::App& app, std::uint32_t& value) {
  return app.add_option("--timeout-ms", value, "Time to wait for each attempt")
      ->check(timeout_ms_check())
      ->capture_default_str();
}

CLI::Option* add_retries_option(CLI::App& app, std::uint32_t& value) {
  return app.add_option("--retries", value, "Further attempts after a timeout")->check(retries_check())->capture_default_str();
}

CLI::Option* add_per_resolver_qps_option(CLI::App& app, double& value) {
  return app.add_option("--per-resolver-qps", value, "Queries per second to one resolver")
      ->check(per_resolver_qps_check())
      ->capture_default_str();
}

CLI::Option* add_total_qps_option(CLI::App& app, double& value) {
  return app.add_option("--qps", value, "Queries per second over all resolvers (0: no cap)")
      ->check(total_qps_check())
      ->capture_default_str();
}

CLI::Option* add_resolvers_option(CLI::App& app, std::string& path, ResolverFile file, const std::string& note) {
  std::string help = "Resolvers: IP, IP:port or [IPv6]:port a line";
  if (file == ResolverFile::catalog) help += " (optionally with kind=, country=, asn= tags), or CSV with an ip_address column";
  return app.add_option("--resolvers", path, help + note);
}

CLI::Option* add_types_option(CLI::App& app, std::string& types) {
  return app.add_option("--types", types,
                        "Record types asked: of names given without one (names files), of every MX and NS "
                        "host (check)")
      ->capture_default_str();
}

std::vector<CLI::Option*> add_root_options(CLI::App& app, std::string& root_hints, std::string& trust_anchor) {
  return {app.add_option("--root-hints", root_hints, "Root hints file")->capture_default_str(),
          app.add_option("--trust-anchor", trust_anchor,
                         "The root's DNSSEC trust anchor: DS or DNSKEY lines (empty: no validation)")
              ->capture_default_str()};
}

std::vector<CLI::Option*> add_judging_options(CLI::App& app, std::string& asn_db, std::string& ioc,
                                              std::string& thresholds) {
  return {app.add_option("--asn-db", asn_db, "IP to AS: RouteViews pfx2as text or an ASN .mmdb"),
          app.add_option("--ioc", ioc, "Addresses and prefixes known to serve attackers, one a line"),
          app.add_option("--thresholds", thresholds, "Analysis thresholds (TOML, see docs/thresholds.toml)")};
}

CLI::Validator sweep_id_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        bool digits = !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
        // Ids are SQLite rowids: at most 2^63 - 1.
        if (!digits || std::stoull(text) == 0 || std::stoull(text) > 9'223'372'036'854'775'807ull)
          return "a sweep id is a whole number from 1, not " + text;
        return {};
      },
      "ID >= 1");
}

CLI::Option* add_control_option(CLI::App& app, std::string& endpoint) {
  return app.add_option("--control", endpoint, "The coordinator's control endpoint (keep it on loopback)")
      ->capture_default_str();
}

}  // namespace mxsentry
