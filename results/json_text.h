#pragma once
// Small helpers for writing JSON text by hand on the hot path (a JSON library's DOM costs more
// per observation than the whole rest of the prober).

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mxsentry::json {

/// Appends `text` as a quoted JSON string. Bytes >= 0x80 are written as \u00XX, so the
/// output is ASCII and valid JSON whatever a resolver sent.
void append_string(std::string& out, std::string_view text);

inline void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

/// The bytes append_string was given, from the string a JSON parser decoded of its output
/// (UTF-8 of code points up to U+00FF, one per byte); nullopt for any other text.
std::optional<std::string> bytes_from_parsed(std::string_view decoded);

/// Fixed-point with three decimals (milliseconds to the microsecond).
void append_millis(std::string& out, double value);

}  // namespace mxsentry::json
