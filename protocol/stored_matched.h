#pragma once
// The coordinator store's form of a compact result (coordinator/sweep/sweep_store.h,
// `results.compact = 2`): smaller than the wire's, since the row already says which task it
// answers and the sweep when it started.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/message_codec.h"

namespace mxsentry::protocol {

/// Never sent: [answer set, TTL (one for every record when all are equal) or [TTLs], flags,
/// EDNS (nil, or UDP size x 2 + DO), RTT in whole microseconds, time - `base_ms`, then what differs from
/// the usual, in order: attempts (1), transport (UDP), authority ([]), EDNS version (0)]. The
/// task index is the row's and is not kept. Nothing when the time is too far from `base_ms`
/// to be told as a difference (the wire's form is kept then).
std::optional<std::string> encode_stored_matched(const MatchedResult& matched, std::int64_t base_ms);
/// Reads what encode_stored_matched wrote for task `task_index`; a single TTL is repeated for
/// the `records_in_set(answer set)` records of the set it names. Throws ProtocolError.
MatchedResult decode_stored_matched(std::string_view bytes, std::uint32_t task_index, std::int64_t base_ms,
                                    const std::function<std::size_t(std::uint32_t)>& records_in_set,
                                    const Limits& limits = {});

}  // namespace mxsentry::protocol
