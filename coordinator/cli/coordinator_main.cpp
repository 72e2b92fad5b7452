// mxsentry-coordinator: the long-running sweep service (coordinator/service/).
#include <atomic>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#include "coordinator/service/coordinator_service.h"

namespace {

std::atomic<bool> stop_requested{false};

/// Settings from the TOML file; the command line, parsed afterwards, overrides them. An unknown
/// key or a value of the wrong type is an error: a typo must not leave a default in force.
void read_config(const std::string& path, mxsentry::CoordinatorOptions& o) {
  toml::table t = toml::parse_file(path);
  std::map<std::string, std::function<void(const toml::node&)>> keys;
  auto fail = [&](const std::string& key, const char* what) {
    throw std::runtime_error(path + ": " + key + ": expected " + what);
  };
  auto text = [&](const char* key, std::string& out) {
    keys[key] = [&, key](const toml::node& n) { if (auto v = n.value<std::string>()) out = *v; else fail(key, "a string"); };
  };
  auto integer = [&](const char* key, auto& out) {
    keys[key] = [&, key](const toml::node& n) {
      if (auto v = n.value_exact<std::int64_t>(); v && *v > 0) out = static_cast<std::decay_t<decltype(out)>>(*v);
      else fail(key, "a positive integer");
    };
  };
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
  integer("unit_size", o.unit_size);
  integer("lease_ms", o.ledger.lease_ms);
  integer("heartbeat_ms", o.ledger.heartbeat_ms);
  integer("missed_heartbeats", o.ledger.missed_heartbeats);
  integer("all_deadline_ms", o.all_deadline_ms);
  keys["opt_out"] = [&](const toml::node& n) {
    const toml::array* list = n.as_array();
    if (!list) fail("opt_out", "an array of file names");
    for (const auto& item : *list) {
      if (auto v = item.value<std::string>()) o.opt_out_paths.push_back(*v);
      else fail("opt_out", "an array of file names");
    }
  };
  keys["sweep"] = [&](const toml::node& n) { o.sweeps = mxsentry::parse_sweep_definitions(n, path); };
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

int main(int argc, char** argv) {
  mxsentry::CoordinatorOptions options;
  std::string config;
  CLI::App app{"mxsentry-coordinator: hands sweeps to probers over ZeroMQ and keeps the results"};
  app.add_option("--config", config, "TOML file with the settings below (flags override it)");
  app.add_option("--listen", options.listen, "ZeroMQ endpoint for probers")->default_str(options.listen);
  app.add_option("--control", options.control, "ZeroMQ endpoint for the mxsentry CLI (keep it on loopback)")
      ->default_str(options.control);
  app.add_option("--db", options.db_path, "SQLite database (created when missing)")->default_str(options.db_path);
  app.add_option("--key", options.key_path, "The coordinator's secret key (mxsentry keygen)");
  app.add_option("--allow", options.allow_dir, "Directory of admitted probers' .pub files");
  app.add_flag("--insecure", options.insecure, "Plain TCP, no CURVE: any prober is admitted (tests on loopback)");
  app.add_option("--unit-size", options.unit_size, "Tasks per work unit")->check(CLI::Range(1, 20000));
  app.add_option("--lease-ms", options.ledger.lease_ms, "How long a prober holds a unit")->check(CLI::Range(100, 86'400'000));
  app.add_option("--heartbeat-ms", options.ledger.heartbeat_ms, "Heartbeat interval")->check(CLI::Range(50, 60'000));
  app.add_option("--root-hints", options.root_hints, "Root hints for the truth");
  app.add_option("--trust-anchor", options.trust_anchor, "DNSSEC trust anchor");
  app.add_option("--asn-db", options.asn_db_path, "IP to AS: pfx2as text or an ASN .mmdb");
  app.add_option("--ioc", options.ioc_path, "IOC list");
  app.add_option("--thresholds", options.thresholds_path, "Analysis thresholds (TOML)");
  app.add_option("--opt-out", options.opt_out_paths,
                 "Addresses and prefixes never to ask, one a line (repeatable; /etc/mxsentry/opt-out.txt is always read)");
  try {
    // The file first, then the flags over it: find --config before the parser fills `options`.
    for (int i = 1; i + 1 < argc; ++i)
      if (std::string(argv[i]) == "--config") read_config(argv[i + 1], options);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const toml::parse_error& e) {  // before runtime_error, which it derives from
    std::cerr << "mxsentry-coordinator: " << *e.source().path << ":" << e.source().begin.line << ": "
              << e.description() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    std::cerr << "mxsentry-coordinator: " << e.what() << "\n";
    return 2;
  }
  std::signal(SIGINT, [](int) { stop_requested = true; });
  std::signal(SIGTERM, [](int) { stop_requested = true; });
  return mxsentry::run_coordinator(options, stop_requested, std::cerr);
}
