#include "coordinator/control/control_requests.h"

#include <limits>
#include <stdexcept>

#include "coordinator/sweep/sweep_inputs.h"
#include "prober/core/limits.h"
#include "protocol/dns/endpoint.h"
#include "targets/domain_list.h"
#include "targets/name_list.h"

namespace mxsentry {

namespace {

using nlohmann::json;

template <typename T>
T number(const json& request, const char* key, T fallback) {
  auto it = request.find(key);
  if (it == request.end()) return fallback;
  if (!it->is_number()) throw std::invalid_argument(std::string(key) + ": expected a number");
  if constexpr (std::is_integral_v<T>) {
    if (!it->is_number_integer()) throw std::invalid_argument(std::string(key) + ": expected a whole number");
    if (std::is_unsigned_v<T> && it->template get<std::int64_t>() < 0)
      throw std::invalid_argument(std::string(key) + ": expected a number of 0 or more");
    if (it->template get<std::int64_t>() > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
      throw std::invalid_argument(std::string(key) + ": too large");
  }
  return it->get<T>();
}

std::vector<std::string> resolver_texts(const json& request, bool required) {
  std::vector<std::string> out;
  auto it = request.find("resolvers");
  if (it == request.end()) {
    if (required) throw std::invalid_argument("resolvers: missing");
    return out;
  }
  if (!it->is_array()) throw std::invalid_argument("resolvers: expected an array of addresses");
  for (const auto& r : *it) {
    if (!r.is_string()) throw std::invalid_argument("resolvers: expected an array of addresses");
    std::string text = r.get<std::string>();
    if (!Endpoint::parse(text)) throw std::invalid_argument("not a resolver address: " + text);
    out.push_back(text);
  }
  return out;
}

/// The resolvers' tagged ASes, {address: ASN, ...}, keyed by address text as the resolvers are.
std::map<std::string, std::uint32_t> resolver_asns(const json& request) {
  std::map<std::string, std::uint32_t> out;
  auto it = request.find("resolver_asns");
  if (it == request.end()) return out;
  if (!it->is_object()) throw std::invalid_argument("resolver_asns: expected {address: AS number, ...}");
  for (const auto& [text, asn] : it->items()) {
    auto address = Endpoint::parse(text);
    if (!address) throw std::invalid_argument("resolver_asns: not a resolver address: " + text);
    if (!asn.is_number_integer() || asn.get<std::int64_t>() <= 0 ||
        asn.get<std::int64_t>() > std::int64_t{std::numeric_limits<std::uint32_t>::max()})
      throw std::invalid_argument("resolver_asns: " + text + ": expected an AS number");
    out[address->to_string()] = asn.get<std::uint32_t>();
  }
  return out;
}

SweepSettings read_settings(const json& request) {
  SweepSettings s;
  s.per_resolver_qps = number(request, "per_resolver_qps", s.per_resolver_qps);
  s.timeout_ms = number(request, "timeout_ms", s.timeout_ms);
  s.retries = number(request, "retries", s.retries);
  validate_settings(s);
  return s;
}

}  // namespace

void add_resolvers(json& request, const std::string& resolvers_path, bool allow_private) {
  SweepResolvers resolvers = read_sweep_resolver_list(resolvers_path, allow_private);
  request["resolvers"] = resolvers.addresses;
  request["resolver_asns"] = resolvers.asns;  // the coordinator judges with them
}

void validate_settings(const SweepSettings& s) {
  auto text = [](auto n) { return std::to_string(static_cast<long long>(n)); };
  if (!limits::valid_per_resolver_qps(s.per_resolver_qps))
    throw std::invalid_argument("per_resolver_qps must be in (0, " + text(limits::max_per_resolver_qps) + "]");
  if (!limits::valid_timeout_ms(s.timeout_ms))
    throw std::invalid_argument("timeout_ms must be in [" + text(limits::min_timeout_ms) + ", " + text(limits::max_timeout_ms) + "]");
  if (!limits::valid_retries(s.retries)) throw std::invalid_argument("retries must be at most " + text(limits::max_retries));
}

SweepLaunch parse_sweep_start(const json& request) {
  SweepLaunch launch;
  launch.name = request.value("name", std::string("on-demand"));
  std::string assignment = request.value("assignment", std::string("shard"));
  if (assignment != "all" && assignment != "shard") throw std::invalid_argument("assignment must be all or shard");
  launch.assignment = assignment == "all" ? Assignment::all : Assignment::shard;
  launch.resolvers = resolver_texts(request, true);
  launch.resolver_asns = resolver_asns(request);
  const json& questions = request.at("questions");
  if (!questions.is_array()) throw std::invalid_argument("questions: expected [[name, type], ...]");
  for (const auto& q : questions) {
    if (!q.is_array() || q.size() != 2 || !q[0].is_string() || !q[1].is_number_integer() || q[1].get<std::int64_t>() < 0 ||
        q[1].get<std::int64_t>() > 65535)
      throw std::invalid_argument("questions: expected [[name, type], ...]");
    launch.questions.push_back(Question{canonical_name(q[0].get<std::string>()), q[1].get<std::uint16_t>()});
  }
  launch.settings = read_settings(request);
  launch.settings.probers = ProberSelector::parse(request.value("probers", std::string())).to_string();
  launch.local_resolvers = request.value("local_resolvers", true);
  return launch;
}

SweepLaunch launch_of_definition(const SweepDefinition& d) {
  SweepLaunch launch;
  launch.name = d.name;
  launch.assignment = d.assignment == "all" ? Assignment::all : Assignment::shard;
  SweepResolvers resolvers = read_sweep_resolver_list(d.resolvers_path, d.allow_private);
  launch.resolvers = std::move(resolvers.addresses);
  launch.resolver_asns = std::move(resolvers.asns);
  launch.questions = read_sweep_questions(d.targets_path, d.types);
  launch.settings.per_resolver_qps = d.per_resolver_qps;
  launch.settings.timeout_ms = d.timeout_ms;
  launch.settings.retries = d.retries;
  launch.settings.probers = d.probers.to_string();
  validate_settings(launch.settings);
  launch.local_resolvers = d.local_resolvers;
  return launch;
}

CheckRequest parse_check_request(const json& request) {
  CheckRequest check;
  const json& domains = request.at("domains");
  if (!domains.is_array() || domains.empty()) throw std::invalid_argument("domains: expected a list of mail domains");
  for (const auto& d : domains) {
    if (!d.is_string()) throw std::invalid_argument("domains: expected a list of mail domains");
    std::string why;
    auto domain = parse_domain(d.get<std::string>(), &why);
    if (!domain) throw std::invalid_argument(why);
    check.domains.push_back(*domain);
  }
  try {
    check.host_types = parse_type_list(request.value("types", std::string("A,AAAA")));
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("types: ") + e.what());
  }
  check.resolvers = resolver_texts(request, false);
  check.resolver_asns = resolver_asns(request);
  check.settings = read_settings(request);
  check.settings.priority = 1;  // an on-demand check goes before every sweep
  check.wait_ms = number<std::int64_t>(request, "wait_ms", check.wait_ms);
  if (check.wait_ms < 1000 || check.wait_ms > 3'600'000) throw std::invalid_argument("wait_ms must be in [1000, 3600000]");
  return check;
}

}  // namespace mxsentry
