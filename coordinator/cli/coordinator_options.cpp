#include "coordinator/cli/coordinator_options.h"

#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>

#include <toml++/toml.h>

#include "coordinator/cli/common_options.h"

namespace mxsentry {

namespace {

CLI::Validator bounded(SettingBounds b) { return whole_number_check(b.min, b.max); }

}  // namespace

void add_coordinator_options(CLI::App& app, CoordinatorOptions& o, std::string& config) {
  app.add_option("--config", config, "TOML file with the settings below (flags override it)");
  app.add_option("--listen", o.listen, "ZeroMQ endpoint for probers")->capture_default_str();
  app.add_option("--control", o.control, "ZeroMQ endpoint for the mxsentry CLI (keep it on loopback)")
      ->capture_default_str();
  app.add_option("--db", o.db_path, "SQLite database (created when missing)")->capture_default_str();
  app.add_option("--key", o.key_path, "The coordinator's secret key (mxsentry keygen)");
  app.add_option("--allow", o.allow_dir, "Directory of admitted probers' .pub files");
  app.add_flag("--insecure", o.insecure, "Plain TCP, no CURVE: any prober is admitted (tests on loopback)");
  app.add_option("--unit-size", o.unit_size, "Tasks per work unit")->check(bounded(unit_size_bounds))->capture_default_str();
  app.add_option("--lease-ms", o.ledger.lease_ms, "How long a prober holds a unit")
      ->check(bounded(lease_ms_bounds))
      ->capture_default_str();
  app.add_option("--heartbeat-ms", o.ledger.heartbeat_ms, "Heartbeat interval")
      ->check(bounded(heartbeat_ms_bounds))
      ->capture_default_str();
  app.add_option("--truth-wait-ms", o.truth_wait_ms, "How long a new sweep's units wait for its truth lookup (0: not at all)")
      ->check(bounded(truth_wait_ms_bounds))
      ->capture_default_str();
  add_root_options(app, o.root_hints, o.trust_anchor);
  add_judging_options(app, o.asn_db_path, o.ioc_path, o.thresholds_path);
  add_opt_out_option(app, o.opt_out_paths);
}

std::optional<std::string> config_file_argument(int argc, const char* const* argv) {
  std::optional<std::string> path;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;  // what follows is not an option
    if (arg == "--config" && i + 1 < argc)
      path = argv[++i];
    else if (arg.starts_with("--config="))
      path = std::string(arg.substr(9));
  }
  return path;
}

namespace {

// `path` names the file in errors (and sweep definitions' relative paths are read from it).
void apply_coordinator_config(const toml::table& t, const std::string& path, CoordinatorOptions& o) {
  std::map<std::string, std::function<void(const toml::node&)>> keys;
  auto fail = [&](const std::string& key, const std::string& what) {
    throw std::runtime_error(path + ": " + key + ": expected " + what);
  };
  auto text = [&](const char* key, std::string& out) {
    keys[key] = [&, key](const toml::node& n) { if (auto v = n.value<std::string>()) out = *v; else fail(key, "a string"); };
  };
  auto integer = [&](const char* key, auto& out, SettingBounds b) {
    keys[key] = [&, key, b](const toml::node& n) {
      if (auto v = n.value_exact<std::int64_t>(); v && *v >= b.min && *v <= b.max)
        out = static_cast<std::decay_t<decltype(out)>>(*v);
      else if (b.max == std::numeric_limits<std::int64_t>::max())
        fail(key, "a positive integer");
      else
        fail(key, "an integer from " + std::to_string(b.min) + " to " + std::to_string(b.max));
    };
  };
  constexpr SettingBounds positive{1, std::numeric_limits<std::int64_t>::max()};
  text("listen", o.listen);
  text("control", o.control);
  text("db", o.db_path);
  text("key", o.key_path);
  text("allow", o.allow_dir);
  text("root_hints", o.root_hints);
  text("trust_anchor", o.trust_anchor);
  text("asn_db", o.asn_db_path);
  text("ioc", o.ioc_path);
  text("thresholds", o.thresholds_path);
  integer("unit_size", o.unit_size, unit_size_bounds);
  integer("lease_ms", o.ledger.lease_ms, lease_ms_bounds);
  integer("heartbeat_ms", o.ledger.heartbeat_ms, heartbeat_ms_bounds);
  integer("missed_heartbeats", o.ledger.missed_heartbeats, SettingBounds{1, std::numeric_limits<unsigned>::max()});
  integer("all_deadline_ms", o.all_deadline_ms, positive);
  integer("truth_wait_ms", o.truth_wait_ms, truth_wait_ms_bounds);
  keys["opt_out"] = [&](const toml::node& n) {
    const toml::array* list = n.as_array();
    if (!list) fail("opt_out", "an array of file names");
    for (const auto& item : *list) {
      if (auto v = item.value<std::string>()) o.opt_out_paths.push_back(*v);
      else fail("opt_out", "an array of file names");
    }
  };
  keys["sweep"] = [&](const toml::node& n) { o.sweeps = parse_sweep_definitions(n, path); };
  keys["insecure"] = [&](const toml::node& n) {
    if (auto v = n.value<bool>()) o.insecure = *v; else fail("insecure", "true or false");
  };
  for (const auto& [key, node] : t) {
    auto it = keys.find(std::string(key.str()));
    if (it == keys.end()) throw std::runtime_error(path + ": " + std::string(key.str()) + ": unknown key");
    it->second(node);
  }
}

}  // namespace

void read_coordinator_config(const std::string& path, CoordinatorOptions& options) {
  apply_coordinator_config(toml::parse_file(path), path, options);
}

void read_coordinator_config_text(std::string_view text, const std::string& source, CoordinatorOptions& options) {
  apply_coordinator_config(toml::parse(text, source), source, options);
}

}  // namespace mxsentry
