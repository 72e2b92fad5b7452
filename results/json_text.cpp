#include "results/json_text.h"

#include <cmath>

namespace mxsentry::json {

void append_string(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
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
