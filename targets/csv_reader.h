#pragma once
// CSV records as RFC 4180 writes them: fields separated by commas; a field in double quotes may
// hold commas, line breaks and doubled quotes (""). Blanks around a field are dropped, and blank
// lines and lines starting with '#' between records are skipped (comments before a header).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mxsentry {

class CsvReader {
 public:
  CsvReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

  /// The next record's fields, nullopt at the end; throws ListError naming source:line.
  std::optional<std::vector<std::string>> next();
  /// The line the record returned last starts on.
  std::size_t line_no() const { return record_line_; }

 private:
  bool skip_blank_and_comment_lines();
  std::string quoted_field(std::size_t field_no);
  std::string plain_field(std::size_t field_no);

  std::string_view text_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;  ///< the line pos_ is on
  std::size_t record_line_ = 0;
};

}  // namespace mxsentry
