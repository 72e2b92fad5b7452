#include "coordinator/sweep/sweep_definition.h"

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "coordinator/sweep/sweep_schedule.h"
#include "prober/core/limits.h"
#include "protocol/dns/codes.h"

namespace mxsentry {

namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  return true;
}

/// The same split as parse_type_list (targets/name_list.h), which reads the list when the sweep
/// starts; here only to name a bad type when the file is loaded.
std::optional<std::string> bad_type(std::string_view text) {
  while (true) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    if (!rr_type_from_name(item)) return std::string(item);
    if (comma == std::string_view::npos) return std::nullopt;
    text.remove_prefix(comma + 1);
  }
}

[[noreturn]] void fail(const std::string& where, const std::string& key, const std::string& what) {
  throw std::runtime_error(where + ": " + key + ": expected " + what);
}

constexpr const char* name_rule = "a name of 1 to 64 letters, digits, '.', '_' or '-'";
constexpr const char* selector_rule = "tags such as \"country=NL,asn=1136\" or [\"country=NL\", \"asn=1136\"]";
constexpr const char* interval_rule =
    "a duration such as \"6h\", \"15m\", \"90s\" (at least 1 s) or a whole number of seconds (0: only on request)";

SweepDefinition parse_one(const toml::table& table, std::string where, std::map<std::string, std::size_t>& names,
                          std::size_t number) {
  SweepDefinition d;

  // The name first, whatever the key order: every later error names the sweep.
  const toml::node* name = table.get("name");
  if (!name) fail(where, "name", std::string(name_rule) + " (missing)");
  auto name_text = name->value_exact<std::string>();
  if (!name_text || !valid_name(*name_text)) fail(where, "name", name_rule);
  d.name = *name_text;
  where += " (" + d.name + ")";
  if (auto [it, fresh] = names.emplace(d.name, number); !fresh)
    fail(where, "name", "a unique name (sweep " + std::to_string(it->second) + " has it too)");

  std::map<std::string, std::function<void(const toml::node&)>> keys;
  auto path = [&](const char* key, const char* what, std::string& out) {
    keys[key] = [&, key, what](const toml::node& n) {
      auto v = n.value_exact<std::string>();
      if (!v || v->empty()) fail(where, key, what);
      out = *v;
    };
  };
  auto integer = [&](const char* key, std::uint32_t& out, std::int64_t lo, std::int64_t hi) {
    keys[key] = [&, key, lo, hi](const toml::node& n) {
      auto v = n.value_exact<std::int64_t>();
      if (!v || *v < lo || *v > hi) fail(where, key, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
      out = static_cast<std::uint32_t>(*v);
    };
  };
  auto flag = [&](const char* key, bool& out) {
    keys[key] = [&, key](const toml::node& n) {
      auto v = n.value_exact<bool>();
      if (!v) fail(where, key, "true or false");
      out = *v;
    };
  };
  keys["name"] = [](const toml::node&) {};  // read above
  path("targets", "the path of a names file", d.targets_path);
  path("resolvers", "the path of a resolver list", d.resolvers_path);
  keys["types"] = [&](const toml::node& n) {
    const char* rule = "record types separated by commas, such as \"A,AAAA\"";
    auto v = n.value_exact<std::string>();
    if (!v) fail(where, "types", rule);
    if (auto bad = bad_type(*v)) fail(where, "types", std::string(rule) + " (unknown record type '" + *bad + "')");
    d.types = *v;
  };
  keys["assignment"] = [&](const toml::node& n) {
    auto v = n.value_exact<std::string>();
    if (!v || (*v != "all" && *v != "shard")) fail(where, "assignment", "\"all\" or \"shard\"");
    d.assignment = *v;
  };
  keys["probers"] = [&](const toml::node& n) {
    try {
      if (auto text = n.value_exact<std::string>()) {
        d.probers = ProberSelector::parse(*text);
      } else if (const toml::array* items = n.as_array()) {
        for (const auto& item : *items) {
          auto tag = item.value_exact<std::string>();
          if (!tag || tag->find(',') != std::string::npos) fail(where, "probers", selector_rule);
          ProberSelector one = ProberSelector::parse(*tag);
          if (one.required.empty()) throw std::invalid_argument("prober selector: empty item (expected k=v)");
          const auto& [key, value] = *one.required.begin();
          if (!d.probers.required.emplace(key, value).second)
            throw std::invalid_argument("prober selector: '" + *tag + "': duplicate key '" + key + "'");
        }
      } else {
        fail(where, "probers", selector_rule);
      }
    } catch (const std::invalid_argument& e) {
      fail(where, "probers", std::string(selector_rule) + " (" + e.what() + ")");
    }
  };
  keys["interval"] = [&](const toml::node& n) {
    if (auto seconds = n.value_exact<std::int64_t>()) {
      if (*seconds < 0 || *seconds > std::numeric_limits<std::int64_t>::max() / 1000) fail(where, "interval", interval_rule);
      d.interval_ms = *seconds * 1000;
    } else if (auto text = n.value_exact<std::string>()) {
      try {
        d.interval_ms = parse_duration_ms(*text);
      } catch (const std::invalid_argument&) {
        fail(where, "interval", interval_rule);
      }
      if (d.interval_ms < 1000) fail(where, "interval", interval_rule);
    } else {
      fail(where, "interval", interval_rule);
    }
  };
  keys["per_resolver_qps"] = [&](const toml::node& n) {
    std::optional<double> v;
    if (n.is_integer() || n.is_floating_point()) v = n.value<double>();
    if (!v || !limits::valid_per_resolver_qps(*v))
      fail(where, "per_resolver_qps", "a number of queries per second above 0, at most " +
                                          std::to_string(static_cast<int>(limits::max_per_resolver_qps)));
    d.per_resolver_qps = *v;
  };
  integer("timeout_ms", d.timeout_ms, limits::min_timeout_ms, limits::max_timeout_ms);
  integer("retries", d.retries, 0, limits::max_retries);
  flag("allow_private", d.allow_private);
  flag("local_resolvers", d.local_resolvers);

  for (const auto& [key, node] : table) {
    auto it = keys.find(std::string(key.str()));
    if (it == keys.end()) throw std::runtime_error(where + ": " + std::string(key.str()) + ": unknown key");
    it->second(node);
  }
  if (d.targets_path.empty()) fail(where, "targets", "the path of a names file (missing)");
  if (d.resolvers_path.empty()) fail(where, "resolvers", "the path of a resolver list (missing)");
  return d;
}

}  // namespace

std::vector<SweepDefinition> parse_sweep_definitions(const toml::node& sweeps, const std::string& path) {
  const toml::array* list = sweeps.as_array();
  if (!list) throw std::runtime_error(path + ": sweep: expected an array of tables ([[sweep]])");
  std::vector<SweepDefinition> out;
  std::map<std::string, std::size_t> names;  // name → the sweep number that has it
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string where = path + ": sweep " + std::to_string(i + 1);
    const toml::table* table = (*list)[i].as_table();
    if (!table) throw std::runtime_error(where + ": expected a table ([[sweep]])");
    out.push_back(parse_one(*table, where, names, i + 1));
  }
  return out;
}

}  // namespace mxsentry
