#pragma once
// One unit of probing work: ask one resolver one question.

#include <cstdint>
#include <string>

#include "protocol/dns/endpoint.h"

namespace mxsentry {

struct Task {
  Endpoint resolver;
  std::string qname;            ///< presentation format, as the user gave it
  std::uint16_t qtype = 1;      ///< RR type code (A = 1)
  std::uint64_t index = 0;      ///< position in the plan; keys results idempotently
  bool recursion_desired = true;  ///< RD bit; the truth iterator asks authoritative servers with RD=0
  bool keep_message = false;      ///< keep the accepted response's wire bytes in Observation::message
  std::uint32_t timeout_ms = 0;   ///< per attempt; 0: the engine's (EngineConfig::timeout_ms)
  std::int32_t retries = -1;      ///< further attempts; below 0: the engine's (EngineConfig::retries)
  /// Its own pace towards its resolver when slower than the engine's: it waits until
  /// 1 / per_resolver_qps seconds have passed since anything was last sent there. 0: none.
  double per_resolver_qps = 0;
  bool urgent = false;            ///< goes ahead of its resolver's queued tasks (an on-demand check)
};

}  // namespace mxsentry
