#include "coordinator/analysis/passive_output.h"

#include <cstdio>

#include "coordinator/analysis/verdict_output.h"
#include "protocol/dns/codes.h"
#include "results/json_text.h"
#include "results/time_text.h"

namespace mxsentry {

namespace {

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

}  // namespace

void append_passive_json(std::string& out, const PassiveVerdict& v) {
  out += "{\"rrname\":";
  json::append_string(out, v.rrname);
  out += ",\"rrtype\":\"";
  append_rr_type_name(out, v.rrtype);
  out += "\",\"rdata\":";
  json::append_string(out, v.rdata);
  append_verdict_fields(out, v.verdict, v.confidence, v.evidence);
  out += ",\"sensors\":";
  append_string_array(out, v.sensors);
  out += ",\"time_first\":";
  json::append_int(out, v.first_ms / 1000);
  out += ",\"time_last\":";
  json::append_int(out, v.last_ms / 1000);
  out += "}\n";
}

std::string passive_table_heading() {
  return padded("VERDICT", 11) + padded("CONF", 6) + padded("NAME", 28) + padded("TYPE", 5) + padded("ADDRESS", 18) +
         padded("SENSORS", 8) + padded("FIRST SEEN", 21) + padded("LAST SEEN", 21) + "EVIDENCE\n";
}

void append_passive_row(std::string& out, const PassiveVerdict& v) {
  char confidence[16];
  std::snprintf(confidence, sizeof confidence, "%.2f", v.confidence);
  std::string evidence;
  for (std::size_t i = 0; i < v.evidence.size(); ++i) {
    if (i) evidence += ' ';
    evidence += to_string(v.evidence[i]);
  }
  out += padded(to_string(v.verdict), 11) + padded(confidence, 6) + padded(v.rrname, 28) +
         padded(rr_type_name(v.rrtype), 5) + padded(v.rdata, 18) + padded(std::to_string(v.sensors.size()), 8) +
         padded(format_utc(v.first_ms), 21) + padded(format_utc(v.last_ms), 21) + evidence + "\n";
}

}  // namespace mxsentry
