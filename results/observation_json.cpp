#include "results/observation_json.h"

#include <charconv>

#include "prober/core/response_parse.h"
#include "results/json_text.h"
#include "results/record_json.h"

namespace mxsentry {

void append_rcode_json(std::string& out, int rcode) {
  if (rcode < 0)
    out += "null";
  else
    json::append_string(out, rcode_name(rcode));
}

namespace {

void append_flags(std::string& out, const HeaderFlags& f) {
  out += '[';
  bool first = true;
  auto flag = [&](bool set, const char* name) {
    if (!set) return;
    if (!first) out += ',';
    first = false;
    out += '"';
    out += name;
    out += '"';
  };
  flag(f.aa, "aa");
  flag(f.tc, "tc");
  flag(f.rd, "rd");
  flag(f.ra, "ra");
  flag(f.ad, "ad");
  flag(f.cd, "cd");
  out += ']';
}

}  // namespace

void append_observation_json(std::string& out, const Observation& o) {
  append_observation_json_head(out, o);
  append_observation_json_tail(out, o);
}

void append_observation_json_head(std::string& out, const Observation& o) {
  const bool answered = o.outcome == Outcome::answer;
  out += "{\"resolver\":";
  // Consecutive observations mostly share a resolver (spread over few, or fan-out in order
  // of names): format its address once.
  thread_local Endpoint last_resolver;
  thread_local std::string last_resolver_text;
  if (!(o.resolver == last_resolver) || last_resolver_text.empty()) {
    last_resolver = o.resolver;
    last_resolver_text = o.resolver.to_string();
  }
  json::append_string(out, last_resolver_text);
  out += ",\"qname\":";
  json::append_string(out, o.qname);
  out += ",\"qtype\":\"";
  append_rr_type_name(out, o.qtype);
  out += '"';
  out += ",\"outcome\":\"";
  out += to_string(o.outcome);
  if (o.not_asked) {
    out += "\",\"reason\":\"";
    out += to_string(*o.not_asked);  // a fixed code: no escaping
  }
  out += "\",\"rcode\":";
  if (answered)
    json::append_string(out, rcode_name(o.rcode));
  else
    out += "null";
  out += ",\"flags\":";
  append_flags(out, o.flags);
  out += ",\"answers\":";
  append_records_json(out, o.answers, true);
  out += ",\"rrsigs\":";
  append_records_json(out, o.rrsigs, true);
  out += ",\"authority\":";
  append_records_json(out, o.authority, false);
  out += ",\"edns\":";
  if (o.edns.present) {
    out += "{\"udp_size\":";
    json::append_int(out, o.edns.udp_size);
    out += ",\"version\":";
    json::append_int(out, o.edns.version);
    out += o.edns.do_bit ? ",\"do\":true}" : ",\"do\":false}";
  } else {
    out += "null";
  }
  out += ",\"rtt_ms\":";
  if (answered)
    json::append_millis(out, o.rtt_ms);
  else
    out += "null";
  out += ",\"time_ms\":";
  json::append_int(out, o.time_ms);
  out += ",\"transport\":\"";
  out += to_string(o.transport);
  out += "\",\"attempts\":";
  json::append_int(out, o.attempts);
}

void append_observation_json_tail(std::string& out, const Observation& o) {
  out += ",\"unsolicited\":";
  json::append_int(out, o.unsolicited);
  out += ",\"extra_responses\":[";
  for (std::size_t i = 0; i < o.extra_responses.size(); ++i) {
    const ExtraResponse& e = o.extra_responses[i];
    if (i) out += ',';
    out += "{\"rcode\":";
    json::append_string(out, rcode_name(e.rcode));
    out += ",\"answers\":";
    append_records_json(out, e.answers, true);
    out += ",\"after_ms\":";
    json::append_millis(out, e.after_ms);
    out += '}';
  }
  out += ']';
  if (!o.error.empty()) {
    out += ",\"error\":";
    json::append_string(out, o.error);
  }
  out += ",\"task\":";
  json::append_int(out, static_cast<std::int64_t>(o.task_index));
  out += "}\n";
}

}  // namespace mxsentry
