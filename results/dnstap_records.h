#pragma once
// The dnstap records of one answered observation: a TOOL_QUERY (the query, when it was sent)
// and a TOOL_RESPONSE (query and response times, the response), and one more TOOL_RESPONSE
// for each further, differing response the prober kept. The wire bytes are rebuilt
// (dnstap_message.h). Pure: each record is handed to the caller.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "prober/core/observation.h"

namespace mxsentry {

/// What the records of one observation carry besides the observation.
struct DnstapContext {
  std::string_view identity;  ///< Dnstap.identity: who observed ("mxsentry:<vantage>")
  std::string_view version;   ///< Dnstap.version: the software
  std::string_view extra;     ///< Dnstap.extra: the run and, for a flagged answer, its verdict
};

struct DnstapCounts {
  std::uint64_t records = 0;
  std::uint64_t dropped_rrs = 0;  ///< stored records ldns could not read back (left out)
};

/// Hands each record of `observation` (serialized Dnstap messages) to `emit`; nothing for an
/// observation without an answer. `scratch` is reused memory.
DnstapCounts dnstap_records(const Observation& observation, const DnstapContext& context, std::string& scratch,
                            const std::function<void(std::string_view)>& emit);

/// Dnstap.extra for an observation of a run ("mxsentry:sweep/3"), with " verdict=CLASS
/// evidence=CODE,CODE" when its answer was flagged.
std::string dnstap_extra(std::string_view origin, std::string_view verdict, const std::vector<std::string>& evidence);

}  // namespace mxsentry
