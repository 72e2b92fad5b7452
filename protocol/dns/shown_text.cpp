#include "protocol/dns/shown_text.h"

namespace mxsentry {

std::string shown_text(std::string_view text, std::size_t max_chars) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == max_chars) return out + "'... (" + std::to_string(text.size()) + " bytes)";
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t') || c >= 0x7f) {  // a tab is harmless, and lists are split at tabs
      out += '\\';
      out += static_cast<char>('0' + c / 100);
      out += static_cast<char>('0' + c / 10 % 10);
      out += static_cast<char>('0' + c % 10);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

std::string printable_ascii(std::string_view text, std::size_t max_chars) {
  std::string out(text.substr(0, max_chars));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return out;
}

}  // namespace mxsentry
