#include "coordinator/analysis/analysis_config.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <toml++/toml.h>

namespace mxsentry {

std::map<Evidence, double> AnalysisConfig::default_weights() {
  return {
      {Evidence::not_in_truth, 0.3},
      {Evidence::asn_mismatch, 0.5},
      {Evidence::ttl_above_authoritative, 0.5},
      {Evidence::rare_answer, 0.4},
      {Evidence::bogon, 0.5},
      {Evidence::ioc_listed, 0.9},
      {Evidence::dnssec_bogus, 0.7},
      {Evidence::multi_response, 0.6},
      {Evidence::record_mismatch, 0.4},
      {Evidence::vantage_local, 0.2},
      {Evidence::cached_forgery, 0.5},
      {Evidence::fresh_ttl, 0.5},
      {Evidence::same_asn, -0.7},
      {Evidence::same_prefix, -0.6},
      {Evidence::dnssec_valid, -1.0},
      {Evidence::reverified_authoritative, -1.0},
      {Evidence::sensor_conflict, 0.3},
      {Evidence::even_spread, -0.6},
      {Evidence::stable_split, -0.6},
  };
}

double AnalysisConfig::weight(Evidence e) const {
  auto it = weights.find(e);
  return it == weights.end() ? 0.0 : it->second;
}

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& why) {
  throw ConfigError(source + ": " + key + ": " + why);
}

/// A bound as people write it: "1", "-0.5", "0.05" (std::to_string gives "1.000000").
std::string bound_text(double v) {
  std::ostringstream text;
  text << v;
  return text.str();
}

double read_number(const toml::node& node, const std::string& source, const std::string& key, double lo, double hi) {
  std::optional<double> value = node.value<double>();
  if (!value) fail(source, key, "expected a number");
  // NaN fails every comparison: without isfinite it would pass the range and weigh nothing.
  if (!std::isfinite(*value) || *value < lo || *value > hi)
    fail(source, key, "out of range [" + bound_text(lo) + ", " + bound_text(hi) + "]");
  return *value;
}

template <typename Int>
Int read_integer(const toml::node& node, const std::string& source, const std::string& key, std::int64_t lo,
                 std::int64_t hi) {
  std::optional<std::int64_t> value = node.value_exact<std::int64_t>();
  if (!value) fail(source, key, "expected an integer");
  if (*value < lo || *value > hi)
    fail(source, key, "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<Int>(*value);
}

/// Walks one table, handing each known key to its reader; an unknown key is an error (a typo
/// in a threshold must not silently leave the default in force).
template <typename Readers>
void read_table(const toml::table& table, const std::string& source, const std::string& prefix, Readers readers) {
  for (const auto& [key, node] : table) {
    std::string name = prefix + std::string(key.str());
    auto it = readers.find(std::string(key.str()));
    if (it == readers.end()) fail(source, name, "unknown key");
    it->second(node, name);
  }
}

}  // namespace

AnalysisConfig parse_analysis_config(std::string_view text, const std::string& source) {
  AnalysisConfig config;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream why;
    why << source << ":" << e.source().begin.line << ": " << e.description();
    throw ConfigError(why.str());
  }
  using Reader = std::function<void(const toml::node&, const std::string&)>;
  auto table_of = [&](const toml::node& node, const std::string& name) -> const toml::table& {
    if (!node.is_table()) fail(source, name, "expected a table");
    return *node.as_table();
  };
  std::map<std::string, Reader> top{
      {"verdict", [&](const toml::node& n, const std::string& name) {
         read_table(table_of(n, name), source, name + ".", std::map<std::string, Reader>{
             {"poisoned_at", [&](const toml::node& v, const std::string& k) { config.poisoned_at = read_number(v, source, k, 0, 1); }},
             {"suspicious_at", [&](const toml::node& v, const std::string& k) { config.suspicious_at = read_number(v, source, k, 0, 1); }},
         });
       }},
      {"weights", [&](const toml::node& n, const std::string& name) {
         for (const auto& [key, value] : table_of(n, name)) {
           std::string code(key.str());
           std::optional<Evidence> e = evidence_from_string(code);
           if (!e) fail(source, name + "." + code, "not an evidence code");
           config.weights[*e] = read_number(value, source, name + "." + code, -1, 1);
         }
       }},
      {"rare_answer", [&](const toml::node& n, const std::string& name) {
         read_table(table_of(n, name), source, name + ".", std::map<std::string, Reader>{
             {"max_resolvers", [&](const toml::node& v, const std::string& k) { config.rare_max_resolvers = read_integer<std::size_t>(v, source, k, 0, 1'000'000'000); }},
             {"max_share", [&](const toml::node& v, const std::string& k) { config.rare_max_share = read_number(v, source, k, 0, 1); }},
         });
       }},
      {"same_prefix", [&](const toml::node& n, const std::string& name) {
         read_table(table_of(n, name), source, name + ".", std::map<std::string, Reader>{
             {"ipv4_length", [&](const toml::node& v, const std::string& k) { config.same_prefix_v4 = read_integer<unsigned>(v, source, k, 1, 32); }},
             {"ipv6_length", [&](const toml::node& v, const std::string& k) { config.same_prefix_v6 = read_integer<unsigned>(v, source, k, 1, 128); }},
         });
       }},
      {"ttl", [&](const toml::node& n, const std::string& name) {
         read_table(table_of(n, name), source, name + ".", std::map<std::string, Reader>{
             {"slack_seconds", [&](const toml::node& v, const std::string& k) { config.ttl_slack_seconds = read_integer<std::uint32_t>(v, source, k, 0, 604800); }},
             {"countdown_tolerance_seconds", [&](const toml::node& v, const std::string& k) { config.countdown_tolerance_seconds = read_integer<std::uint32_t>(v, source, k, 0, 3600); }},
         });
       }},
      {"reask", [&](const toml::node& n, const std::string& name) {
         read_table(table_of(n, name), source, name + ".", std::map<std::string, Reader>{
             {"delay_ms", [&](const toml::node& v, const std::string& k) { config.reask_delay_ms = read_integer<std::uint32_t>(v, source, k, 0, 600000); }},
         });
       }},
  };
  read_table(root, source, "", top);
  if (config.suspicious_at > config.poisoned_at)
    fail(source, "verdict.suspicious_at", "must not be above verdict.poisoned_at");
  return config;
}

AnalysisConfig load_analysis_config(const std::string& path) {
  // A directory opens as a stream that reads nothing: it would silently mean the defaults.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw ConfigError(path + ": cannot read the file (it is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(path + ": read error");
  return parse_analysis_config(text.str(), path);
}

}  // namespace mxsentry
