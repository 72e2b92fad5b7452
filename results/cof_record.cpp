#include "results/cof_record.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "protocol/dns/codes.h"
#include "results/json_text.h"

namespace mxsentry {

std::string cof_sensor_id(std::string_view vantage, std::string_view resolver) {
  std::string id = "mxsentry:";
  id.append(vantage).append(":").append(resolver);
  return id;
}

std::string cof_origin(std::string_view kind, std::int64_t id) {
  return "mxsentry:" + std::string(kind) + "/" + std::to_string(id);
}

void canonical_rdata(std::vector<std::string>& rdata) {
  std::sort(rdata.begin(), rdata.end());
  rdata.erase(std::unique(rdata.begin(), rdata.end()), rdata.end());
}

std::string rdata_key(const std::vector<std::string>& canonical) {
  std::string key = "[";
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    if (i) key += ',';
    json::append_string(key, canonical[i]);
  }
  return key + "]";
}

namespace {

// Text a parser decoded: bytes as append_string was given them, or (from another sensor's
// UTF-8) the UTF-8 bytes themselves.
std::string bytes_of(const std::string& decoded) { return json::bytes_from_parsed(decoded).value_or(decoded); }

}  // namespace

std::vector<std::string> rdata_from_key(std::string_view key) {
  auto j = nlohmann::json::parse(key, nullptr, false);
  if (j.is_discarded() || !j.is_array()) throw std::invalid_argument("rdata key: not a JSON array");
  std::vector<std::string> out;
  for (const auto& item : j) {
    if (!item.is_string()) throw std::invalid_argument("rdata key: not a string");
    out.push_back(bytes_of(item.get<std::string>()));
  }
  return out;
}

namespace {

void append_seconds_and_ms(std::string& out, const char* name, std::int64_t ms) {
  out += ",\"";
  out += name;
  out += "\":";
  json::append_int(out, ms / 1000);
}

void append_text_field(std::string& out, const char* name, const std::string& value) {
  if (value.empty()) return;
  out += ",\"";
  out += name;
  out += "\":";
  json::append_string(out, value);
}

}  // namespace

void append_cof_json(std::string& out, const CofRecord& r, bool rdata_as_string) {
  out += "{\"rrname\":";
  json::append_string(out, r.rrname);
  out += ",\"rrtype\":\"";
  append_rr_type_name(out, r.rrtype);
  out += "\",\"rdata\":";
  if (rdata_as_string && r.rdata.size() == 1) {
    json::append_string(out, r.rdata[0]);
  } else {
    out += rdata_key(r.rdata);
  }
  append_seconds_and_ms(out, "time_first", r.time_first_ms);
  append_seconds_and_ms(out, "time_last", r.time_last_ms);
  out += ",\"time_first_ms\":";
  json::append_int(out, r.time_first_ms);
  out += ",\"time_last_ms\":";
  json::append_int(out, r.time_last_ms);
  if (r.count) {
    out += ",\"count\":";
    json::append_int(out, static_cast<std::int64_t>(*r.count));
  }
  append_text_field(out, "bailiwick", r.bailiwick);
  append_text_field(out, "sensor_id", r.sensor_id);
  append_text_field(out, "origin", r.origin);
  append_text_field(out, "verdict", r.verdict);
  if (!r.evidence.empty()) {
    out += ",\"evidence\":";
    out += rdata_key(r.evidence);  // the same form: a JSON array of strings
  }
  // Fields of an imported line this program does not know go back out as they came in.
  if (r.extra.size() > 2) {
    out += ',';
    out.append(r.extra, 1, r.extra.size() - 2);
  }
  out += "}\n";
}

namespace {

struct Bad {
  std::string reason;
};

std::string string_field(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) throw Bad{std::string(key) + ": missing"};
    return {};
  }
  if (!it->is_string()) throw Bad{std::string(key) + ": expected a string"};
  return bytes_of(it->get<std::string>());
}

std::int64_t seconds_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw Bad{std::string(key) + ": missing"};
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
    throw Bad{std::string(key) + ": expected Unix seconds, a non-negative integer"};
  auto seconds = it->get<std::int64_t>();
  if (seconds > INT64_MAX / 1000) throw Bad{std::string(key) + ": out of range"};
  return seconds;
}

// Milliseconds from `key`_ms when present (it must fall inside the second `key` says), else
// the start of that second.
std::int64_t time_field(const nlohmann::json& j, const char* key) {
  std::int64_t seconds = seconds_field(j, key);
  std::string ms_key = std::string(key) + "_ms";
  auto it = j.find(ms_key);
  if (it == j.end()) return seconds * 1000;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
    throw Bad{ms_key + ": expected Unix milliseconds, a non-negative integer"};
  auto ms = it->get<std::int64_t>();
  if (ms / 1000 != seconds) throw Bad{ms_key + ": " + std::to_string(ms) + " is not within " + key};
  return ms;
}

std::uint16_t type_field(const nlohmann::json& j) {
  auto it = j.find("rrtype");
  if (it == j.end()) throw Bad{"rrtype: missing"};
  if (it->is_number_integer()) {
    auto v = it->get<std::int64_t>();
    if (v < 1 || v > 65535) throw Bad{"rrtype: " + std::to_string(v) + " is not a type number"};
    return static_cast<std::uint16_t>(v);
  }
  if (!it->is_string()) throw Bad{"rrtype: expected a type mnemonic or number"};
  auto code = rr_type_from_name(it->get<std::string>());
  if (!code) throw Bad{"rrtype: unknown type " + it->get<std::string>()};
  return *code;
}

std::vector<std::string> strings_field(const nlohmann::json& j, const char* key, bool string_allowed) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  std::vector<std::string> out;
  if (string_allowed && it->is_string()) {
    out.push_back(bytes_of(it->get<std::string>()));
    return out;
  }
  if (!it->is_array()) throw Bad{std::string(key) + (string_allowed ? ": expected a string or an array of strings"
                                                                      : ": expected an array of strings")};
  for (const auto& item : *it) {
    if (!item.is_string()) throw Bad{std::string(key) + ": expected an array of strings"};
    out.push_back(bytes_of(item.get<std::string>()));
  }
  return out;
}

CofRecord record_from(const nlohmann::json& j) {
  if (!j.is_object()) throw Bad{"not a JSON object"};
  CofRecord r;
  r.rrname = string_field(j, "rrname", true);
  if (r.rrname.empty()) throw Bad{"rrname: empty"};
  r.rrtype = type_field(j);
  if (j.find("rdata") == j.end()) throw Bad{"rdata: missing"};
  r.rdata = strings_field(j, "rdata", true);
  if (r.rdata.empty()) throw Bad{"rdata: empty"};
  canonical_rdata(r.rdata);
  // The draft lets a record give zone_time_first/zone_time_last (seen in a zone file) instead;
  // those times are not the times a resolver served the record, so such lines are refused.
  if (!j.contains("time_first") && j.contains("zone_time_first"))
    throw Bad{"time_first: missing (records with only zone_time_first/zone_time_last, from zone files, are not imported)"};
  r.time_first_ms = time_field(j, "time_first");
  r.time_last_ms = time_field(j, "time_last");
  if (r.time_first_ms > r.time_last_ms) throw Bad{"time_first: after time_last"};
  if (auto it = j.find("count"); it != j.end()) {
    if (!it->is_number_unsigned()) throw Bad{"count: expected a non-negative integer"};
    r.count = it->get<std::uint64_t>();
  }
  r.bailiwick = string_field(j, "bailiwick", false);
  r.sensor_id = string_field(j, "sensor_id", false);
  r.origin = string_field(j, "origin", false);
  r.verdict = string_field(j, "verdict", false);
  r.evidence = strings_field(j, "evidence", false);
  canonical_rdata(r.evidence);

  static const std::set<std::string> known{
      "rrname", "rrtype", "rdata", "time_first", "time_last", "time_first_ms", "time_last_ms", "count",
      "bailiwick", "sensor_id", "origin", "verdict", "evidence",
      // Derived from time_first/time_last, written again from them if ever needed.
      "time_first_rfc3339", "time_last_rfc3339"};
  nlohmann::json extra = nlohmann::json::object();
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key())) extra[it.key()] = it.value();
  if (!extra.empty()) r.extra = extra.dump(-1, ' ', true);
  return r;
}

}  // namespace

std::variant<CofRecord, CofLineError> parse_cof_line(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded()) return CofLineError{"not JSON"};
  try {
    return record_from(j);
  } catch (const Bad& bad) {
    return CofLineError{bad.reason};
  }
}

}  // namespace mxsentry
