#pragma once
// Points in time as people write them on a command line and read them in lists: Unix seconds,
// or UTC dates and times in the RFC 3339 form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mxsentry {

/// Unix ms of `text`: Unix seconds ("1765101600"), a UTC date ("2026-12-07", its midnight) or
/// a UTC time ("2026-12-07T10:00:00Z", seconds optional); nullopt for anything else.
std::optional<std::int64_t> parse_time_arg(std::string_view text);
/// "2026-12-07T10:00:00Z", to the second (the milliseconds dropped).
std::string format_utc(std::int64_t unix_ms);

}  // namespace mxsentry
