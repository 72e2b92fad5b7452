#pragma once
// Walks a list's text one line at a time and counts lines from 1, for "file:line" errors.

#include <cstddef>
#include <string_view>

namespace mxsentry {

class LineCursor {
 public:
  /// A UTF-8 byte order mark at the start (some editors write one) is not part of line 1.
  explicit LineCursor(std::string_view text) : rest_(text) {
    if (rest_.starts_with("\xEF\xBB\xBF")) rest_.remove_prefix(3);
  }

  /// The next line without its '\n' (a trailing '\r' is kept); false at the end of the text.
  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    auto end = rest_.find('\n');
    line = rest_.substr(0, end);
    rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
    ++line_no_;
    return true;
  }
  /// The number of the line `next` returned last.
  std::size_t line_no() const { return line_no_; }

 private:
  std::string_view rest_;
  std::size_t line_no_ = 0;
};

}  // namespace mxsentry
