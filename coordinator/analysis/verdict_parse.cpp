#include "coordinator/analysis/verdict_parse.h"

#include <stdexcept>
#include <utility>
#include <vector>

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

// The fields besides the class, confidence and evidence, each read into a verdict.
void read_vantage(const JsonValue& j, Verdict& v) { v.vantage = text(j, "vantage"); }
void read_resolver(const JsonValue& j, Verdict& v) {
  auto resolver = Endpoint::parse(text(j, "resolver"));
  if (!resolver) bad("resolver", "an address[:port]");
  v.resolver = *resolver;
}
void read_qname(const JsonValue& j, Verdict& v) { v.qname = text(j, "qname"); }
void read_qtype(const JsonValue& j, Verdict& v) {
  auto qtype = rr_type_from_name(text(j, "qtype"));
  if (!qtype) bad("qtype", "a type mnemonic");
  v.qtype = *qtype;
}
void read_observed(const JsonValue& j, Verdict& v) { v.observed = strings(j, "observed"); }
void read_expected(const JsonValue& j, Verdict& v) { v.expected = strings(j, "expected"); }
void read_ttl(const JsonValue& j, Verdict& v) { v.ttl = count(j, "ttl"); }
void read_expected_ttl(const JsonValue& j, Verdict& v) { v.expected_ttl = count(j, "expected_ttl"); }
void read_dnssec(const JsonValue& j, Verdict& v) { v.dnssec = text(j, "dnssec"); }
void read_rcode(const JsonValue& j, Verdict& v) {
  const JsonValue& rcode = field(j, "rcode");
  v.rcode = -1;
  if (rcode.is_null()) return;
  if (!rcode.is_string()) bad("rcode", "a mnemonic or null");
  auto r = rcode_from_name(rcode.get<std::string>());
  if (!r) bad("rcode", "a mnemonic or null");
  v.rcode = *r;
}
void read_attack(const JsonValue& j, Verdict& v) { v.attack = text(j, "attack"); }
void read_reasked_by(const JsonValue& j, Verdict& v) { v.reasked_by = text(j, "reasked_by"); }

using FieldReader = void (*)(const JsonValue&, Verdict&);
const std::vector<std::pair<std::string_view, FieldReader>>& field_readers() {
  static const std::vector<std::pair<std::string_view, FieldReader>> readers{
      {"vantage", read_vantage}, {"resolver", read_resolver}, {"qname", read_qname},
      {"qtype", read_qtype},     {"observed", read_observed}, {"expected", read_expected},
      {"ttl", read_ttl},         {"expected_ttl", read_expected_ttl}, {"dnssec", read_dnssec},
      {"rcode", read_rcode},     {"attack", read_attack}, {"reasked_by", read_reasked_by}};
  return readers;
}

}  // namespace

Verdict parse_verdict_json(std::string_view line) {
  JsonValue j = JsonValue::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("verdict line: not a JSON object");
  Verdict v;
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
  // Every field is required but the attack and who asked again, which only some flagged verdicts carry.
  for (const auto& [key, read] : field_readers())
    if ((key != "attack" && key != "reasked_by") || j.contains(key)) read(j, v);
  return v;
}

void apply_verdict_overrides(std::string_view object, Verdict& v) {
  JsonValue j = JsonValue::parse(object, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("verdict fields: not a JSON object");
  for (const auto& item : j.items()) {
    bool known = false;
    for (const auto& [key, read] : field_readers())
      if (key == item.key()) read(j, v), known = true;
    if (!known) throw std::invalid_argument("verdict fields: " + item.key() + ": not a field that can be set");
  }
}

}  // namespace mxsentry
