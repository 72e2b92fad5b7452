#include "results/time_text.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace mxsentry {

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& value) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  std::from_chars(text.data() + pos, text.data() + pos + len, value);
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_time_arg(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find('-') == std::string_view::npos) {
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || seconds < 0 || seconds > INT64_MAX / 1000)
      return std::nullopt;
    return seconds * 1000;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_int(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !read_int(text, 5, 2, month) ||
      text[7] != '-' || !read_int(text, 8, 2, day))
    return std::nullopt;
  if (text.size() > 10) {
    // THH:MM[:SS]Z
    if ((text[10] != 'T' && text[10] != 't') || !read_int(text, 11, 2, hour) || text.size() < 17 || text[13] != ':' ||
        !read_int(text, 14, 2, minute))
      return std::nullopt;
    std::size_t z = 16;
    if (text.size() > 17 && text[16] == ':') {
      if (!read_int(text, 17, 2, second)) return std::nullopt;
      z = 19;
    }
    if (text.size() != z + 1 || (text[z] != 'Z' && text[z] != 'z')) return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t t = timegm(&tm);
  if (tm.tm_mday != day || t < 0) return std::nullopt;  // 2026-02-30 rolls over: refused
  return static_cast<std::int64_t>(t) * 1000;
}

std::string format_utc(std::int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];  // room for any int the compiler cannot rule out
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace mxsentry
