#include "coordinator/analysis/verdict_parse.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "prober/core/response_parse.h"
#include "results/json_text.h"
#include "results/observation_json.h"

namespace mxsentry {

namespace {

using JsonValue = nlohmann::json;

[[noreturn]] void bad(const std::string& key, const char* expected) {
  throw std::invalid_argument("verdict line: " + key + ": expected " + expected);
}

const JsonValue& field(const JsonValue& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) bad(key, "a value (the key is missing)");
  return *it;
}

/// The bytes the writer was given (names may hold any byte), as the record codec reads them.
std::string bytes_of(const JsonValue& v) {
  std::string decoded = v.get<std::string>();
  auto bytes = mxsentry::json::bytes_from_parsed(decoded);
  return bytes ? *bytes : decoded;
}

std::string text(const JsonValue& j, const char* key) {
  const JsonValue& v = field(j, key);
  if (!v.is_string()) bad(key, "a string");
  return bytes_of(v);
}

std::uint32_t count(const JsonValue& j, const char* key) {
  const JsonValue& v = field(j, key);
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > UINT32_MAX) bad(key, "an unsigned 32-bit number");
  return v.get<std::uint32_t>();
}

std::vector<std::string> strings(const JsonValue& j, const char* key) {
  const JsonValue& v = field(j, key);
  if (!v.is_array()) bad(key, "an array of strings");
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string()) bad(key, "an array of strings");
    out.push_back(bytes_of(item));
  }
  return out;
}

}  // namespace

Verdict parse_verdict_json(std::string_view line) {
  JsonValue j = JsonValue::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("verdict line: not a JSON object");
  Verdict v;
  v.vantage = text(j, "vantage");
  auto resolver = Endpoint::parse(text(j, "resolver"));
  if (!resolver) bad("resolver", "an address[:port]");
  v.resolver = *resolver;
  v.qname = text(j, "qname");
  auto qtype = rr_type_from_name(text(j, "qtype"));
  if (!qtype) bad("qtype", "a type mnemonic");
  v.qtype = *qtype;
  auto verdict = verdict_class_from_string(text(j, "verdict"));
  if (!verdict) bad("verdict", "a verdict class");
  v.verdict = *verdict;
  const JsonValue& confidence = field(j, "confidence");
  if (!confidence.is_number() || confidence.get<double>() < 0 || confidence.get<double>() > 1)
    bad("confidence", "a number from 0 to 1");
  v.confidence = confidence.get<double>();
  for (const auto& code : strings(j, "evidence")) {
    auto e = evidence_from_string(code);
    if (!e) bad("evidence", "known evidence codes");
    v.evidence.push_back(*e);
  }
  v.observed = strings(j, "observed");
  v.expected = strings(j, "expected");
  v.ttl = count(j, "ttl");
  v.expected_ttl = count(j, "expected_ttl");
  v.dnssec = text(j, "dnssec");
  const JsonValue& rcode = field(j, "rcode");
  if (!rcode.is_null()) {
    if (!rcode.is_string()) bad("rcode", "a mnemonic or null");
    auto r = rcode_from_name(rcode.get<std::string>());
    if (!r) bad("rcode", "a mnemonic or null");
    v.rcode = *r;
  }
  if (j.contains("attack")) v.attack = text(j, "attack");
  if (j.contains("reasked_by")) v.reasked_by = text(j, "reasked_by");
  return v;
}

}  // namespace mxsentry
