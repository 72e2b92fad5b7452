#include "results/json_text.h"

#include <cmath>

namespace mxsentry::json {

namespace {

struct EscapeTable {
  bool escape[256];
  constexpr EscapeTable() : escape() {
    for (int c = 0; c < 256; ++c) escape[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
  }
};
constexpr EscapeTable escape_table;

}  // namespace

void append_string(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the current run of characters that need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!escape_table.escape[c]) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

std::optional<std::string> bytes_from_parsed(std::string_view decoded) {
  std::string out;
  out.reserve(decoded.size());
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    auto c = static_cast<unsigned char>(decoded[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    // append_string escapes each byte >= 0x80 alone, so only U+0080..U+00FF (0xC2/0xC3 lead) come back.
    if ((c != 0xc2 && c != 0xc3) || i + 1 == decoded.size()) return std::nullopt;
    auto next = static_cast<unsigned char>(decoded[++i]);
    if ((next & 0xc0) != 0x80) return std::nullopt;
    out += static_cast<char>(((c & 0x03) << 6) | (next & 0x3f));
  }
  return out;
}

void append_millis(std::string& out, double value) {
  if (!std::isfinite(value) || value < 0) value = 0;
  auto micros = static_cast<std::int64_t>(std::llround(value * 1000.0));
  append_int(out, micros / 1000);
  char frac[4] = {'.', static_cast<char>('0' + micros / 100 % 10), static_cast<char>('0' + micros / 10 % 10),
                  static_cast<char>('0' + micros % 10)};
  out.append(frac, 4);
}

}  // namespace mxsentry::json
