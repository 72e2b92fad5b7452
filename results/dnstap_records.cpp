#include "results/dnstap_records.h"

#include <cmath>

#include "results/dnstap_message.h"
#include "results/dnstap_payload.h"

namespace mxsentry {

namespace {

constexpr std::int64_t ns_per_ms = 1'000'000;

std::int64_t ms_to_ns(double ms) { return std::llround(ms * static_cast<double>(ns_per_ms)); }

}  // namespace

DnstapCounts dnstap_records(const Observation& o, const DnstapContext& context, std::string& scratch,
                            const std::function<void(std::string_view)>& emit) {
  DnstapCounts counts;
  if (o.outcome != Outcome::answer) return counts;
  RebuiltMessage query = rebuild_query(o);
  RebuiltMessage response = rebuild_response(o);
  if (query.wire.empty() || response.wire.empty()) return counts;  // a question ldns cannot write
  counts.dropped_rrs += static_cast<std::uint64_t>(response.dropped);

  // time_ms is when the response was accepted, rtt_ms how long after the last sending.
  const std::int64_t response_ns = o.time_ms * ns_per_ms;
  const std::int64_t query_ns = response_ns - (o.rtt_ms > 0 ? ms_to_ns(o.rtt_ms) : 0);

  DnstapEvent e;
  e.transport = o.transport;
  e.responder = o.resolver;
  e.identity = context.identity;
  e.version = context.version;
  e.extra = context.extra;

  e.type = DnstapType::tool_query;
  e.query_time_ns = query_ns;
  e.query_message = query.wire;
  encode_dnstap(e, scratch);
  emit(scratch);

  e.type = DnstapType::tool_response;
  e.query_message = {};  // it is in the TOOL_QUERY before
  e.response_time_ns = response_ns;
  e.response_message = response.wire;
  encode_dnstap(e, scratch);
  emit(scratch);
  counts.records = 2;

  for (const auto& extra : o.extra_responses) {
    RebuiltMessage other = rebuild_extra_response(o, extra);
    if (other.wire.empty()) continue;
    counts.dropped_rrs += static_cast<std::uint64_t>(other.dropped);
    e.response_time_ns = response_ns + ms_to_ns(extra.after_ms);
    e.response_message = other.wire;
    encode_dnstap(e, scratch);
    emit(scratch);
    ++counts.records;
  }
  return counts;
}

std::string dnstap_extra(std::string_view origin, std::string_view verdict, const std::vector<std::string>& evidence) {
  std::string out(origin);
  if (verdict.empty()) return out;
  out += " verdict=";
  out += verdict;
  if (!evidence.empty()) {
    out += " evidence=";
    for (std::size_t i = 0; i < evidence.size(); ++i) {
      if (i) out += ',';
      out += evidence[i];
    }
  }
  return out;
}

}  // namespace mxsentry
