#pragma once
// The DNS messages of an observation in wire form, rebuilt from what the store keeps: the
// query the prober sent and the response it accepted (and any further, differing response).
// The store keeps no wire bytes, so these are not the bytes that crossed the network:
//   kept exactly: the question, the header flags (QR, AA, TC, RD, RA, AD, CD), the rcode
//     (extended rcodes through the OPT record), EDNS (UDP size, version, DO), every answer
//     record and RRSIG with its TTL and rdata, class IN;
//   not kept: the message IDs (0 in both), the order of records within the answer section
//     (answers first, then their RRSIGs), name compression (ldns compresses as it likes), the
//     authority section (the store keeps only a summary without rdata: left out), the
//     additional section other than OPT, EDNS options, and the letter case of owner names of
//     compact (matched) results.
// The query is the one every mxsentry prober sends: RD set, EDNS with a 1232-byte UDP size
// and DO (prober/core/query_engine.h's defaults, which no command changes).

#include <cstdint>
#include <vector>

#include "prober/core/observation.h"

namespace mxsentry {

/// A rebuilt message; `dropped` counts stored records ldns could not read back (left out).
struct RebuiltMessage {
  std::vector<std::uint8_t> wire;
  int dropped = 0;
};

/// The query the prober sent for `observation` (its question).
RebuiltMessage rebuild_query(const Observation& observation);

/// The response the prober accepted: empty wire when the observation has no answer.
RebuiltMessage rebuild_response(const Observation& observation);

/// A further response that differed from the first (on-path injection): its rcode and answer
/// records only, with QR and RD set (the store keeps nothing else of it).
RebuiltMessage rebuild_extra_response(const Observation& observation, const ExtraResponse& extra);

}  // namespace mxsentry
