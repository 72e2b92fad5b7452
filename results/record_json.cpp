#include "results/record_json.h"

#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "protocol/dns/codes.h"
#include "results/json_text.h"

namespace mxsentry {

void append_record_json(std::string& out, const ResourceRecord& r, bool with_rdata) {
  out += "{\"name\":";
  json::append_string(out, r.name);
  out += ",\"type\":\"";
  append_rr_type_name(out, r.type);  // mnemonics need no escaping
  out += "\",\"ttl\":";
  json::append_int(out, r.ttl);
  if (with_rdata) {
    out += ",\"rdata\":";
    json::append_string(out, r.rdata);
  }
  out += '}';
}

void append_records_json(std::string& out, const std::vector<ResourceRecord>& records, bool with_rdata) {
  out += '[';
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i) out += ',';
    append_record_json(out, records[i], with_rdata);
  }
  out += ']';
}

namespace {

[[noreturn]] void bad(std::size_t index, const std::string& what) {
  throw std::invalid_argument("record " + std::to_string(index) + ": " + what);
}

// Strings come back byte for byte, as append_string was given them.
std::string text_of(const nlohmann::json& value, std::size_t index, const char* key) {
  if (!value.is_string()) bad(index, std::string(key) + ": expected a string");
  auto bytes = json::bytes_from_parsed(value.get_ref<const std::string&>());
  if (!bytes) bad(index, std::string(key) + ": characters above U+00FF");
  return *bytes;
}

ResourceRecord record_from(const nlohmann::json& j, std::size_t index) {
  if (!j.is_object()) bad(index, "not a JSON object");
  ResourceRecord r;
  auto name = j.find("name");
  if (name == j.end()) bad(index, "name: missing");
  r.name = text_of(*name, index, "name");
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) bad(index, "type: expected a type mnemonic");
  auto code = rr_type_from_name(type->get<std::string>());
  if (!code) bad(index, "type: unknown mnemonic " + type->get<std::string>());
  r.type = *code;
  auto ttl = j.find("ttl");
  if (ttl == j.end() || !ttl->is_number_unsigned() || ttl->get<std::uint64_t>() > UINT32_MAX)
    bad(index, "ttl: expected an unsigned 32-bit number");
  r.ttl = ttl->get<std::uint32_t>();
  if (auto rdata = j.find("rdata"); rdata != j.end()) r.rdata = text_of(*rdata, index, "rdata");
  return r;
}

}  // namespace

std::vector<ResourceRecord> parse_records_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) throw std::invalid_argument("records: not a JSON array");
  std::vector<ResourceRecord> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(record_from(j[i], i));
  return out;
}

}  // namespace mxsentry
