#include "coordinator/truth/truth_output.h"

#include "prober/core/response_parse.h"
#include "results/json_text.h"
#include "results/observation_json.h"
#include "results/record_json.h"

namespace mxsentry {

namespace {

void append_verdict_json(std::string& out, const dnssec::Verdict& v) {
  out += "{\"status\":\"";
  out += dnssec::to_string(v.status);
  out += "\",\"reason\":";
  json::append_string(out, v.reason);
  out += '}';
}

std::string rcode_text(int rcode) { return rcode < 0 ? "no answer" : rcode_name(rcode); }

}  // namespace

void append_truth_json(std::string& out, const Truth& t) {
  out += "{\"qname\":";
  json::append_string(out, t.qname);
  out += ",\"qtype\":\"";
  append_rr_type_name(out, t.qtype);
  out += "\",\"zone\":";
  json::append_string(out, t.zone);
  out += ",\"rcode\":";
  append_rcode_json(out, t.rcode);
  out += ",\"answers\":";
  append_records_json(out, t.answers);
  out += ",\"ttl\":{\"min\":";
  json::append_int(out, t.ttl_min);
  out += ",\"max\":";
  json::append_int(out, t.ttl_max);
  out += "},\"dnssec\":";
  append_verdict_json(out, t.dnssec);
  out += ",\"servers\":[";
  for (std::size_t i = 0; i < t.servers.size(); ++i) {
    const ServerAnswer& s = t.servers[i];
    if (i) out += ',';
    out += "{\"name\":";
    json::append_string(out, s.server);
    out += ",\"address\":";
    json::append_string(out, s.address.address_string());
    out += ",\"outcome\":\"";
    out += to_string(s.outcome);
    out += "\",\"rcode\":";
    append_rcode_json(out, s.rcode);
    out += s.authoritative ? ",\"aa\":true" : ",\"aa\":false";
    out += ",\"answers\":";
    append_records_json(out, s.answers);
    out += ",\"rrsigs\":";
    json::append_int(out, static_cast<std::int64_t>(s.rrsigs));
    out += ",\"dnssec\":";
    append_verdict_json(out, s.dnssec);
    if (!s.error.empty()) {
      out += ",\"error\":";
      json::append_string(out, s.error);
    }
    out += '}';
  }
  out += "],\"cname_chain\":[";
  for (std::size_t i = 0; i < t.cname_chain.size(); ++i) {
    if (i) out += ',';
    json::append_string(out, t.cname_chain[i]);
  }
  out += ']';
  if (!t.error.empty()) {
    out += ",\"error\":";
    json::append_string(out, t.error);
  }
  out += "}\n";
}

void append_truth_text(std::string& out, const Truth& t) {
  out += t.qname + " " + rr_type_name(t.qtype) + "  zone " + (t.zone.empty() ? "?" : t.zone) + "  " +
         rcode_text(t.rcode) + "  dnssec " + dnssec::to_string(t.dnssec.status);
  if (!t.dnssec.reason.empty() && t.dnssec.status != dnssec::Status::secure) out += " (" + t.dnssec.reason + ")";
  out += "\n";
  if (!t.error.empty()) out += "  error: " + t.error + "\n";
  if (!t.cname_chain.empty()) {
    out += "  CNAME chain:";
    for (const auto& name : t.cname_chain) out += " -> " + name;
    out += "\n";
  }
  if (!t.answers.empty()) {
    out += "  answers (original TTL " + std::to_string(t.ttl_min);
    if (t.ttl_max != t.ttl_min) out += ".." + std::to_string(t.ttl_max);
    out += "):\n";
    for (const auto& r : t.answers)
      out += "    " + r.name + " " + std::to_string(r.ttl) + " " + rr_type_name(r.type) + " " + r.rdata + "\n";
  }
  out += "  servers:\n";
  for (const auto& s : t.servers) {
    std::string line = "    " + s.server + " " + s.address.to_string();
    line.append(line.size() < 44 ? 44 - line.size() : 1, ' ');
    if (s.outcome != Outcome::answer) {
      line += to_string(s.outcome);
    } else {
      line += rcode_text(s.rcode) + (s.authoritative ? " aa " : " ");
      std::string data;
      for (const auto& r : s.answers) data += (data.empty() ? "" : ", ") + r.rdata;
      line += data.empty() ? "-" : data;
      line += std::string("  [") + dnssec::to_string(s.dnssec.status) + "]";
    }
    if (!s.error.empty()) line += "  (" + s.error + ")";
    out += line + "\n";
  }
}

}  // namespace mxsentry
