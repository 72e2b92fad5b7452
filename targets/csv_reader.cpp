#include "targets/csv_reader.h"

#include "targets/list_error.h"

namespace mxsentry {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool CsvReader::skip_blank_and_comment_lines() {
  while (pos_ < text_.size()) {
    std::size_t start = pos_;
    while (start < text_.size() && (is_blank(text_[start]) || text_[start] == '\r')) ++start;
    if (start < text_.size() && text_[start] != '\n' && text_[start] != '#') return true;
    auto end = text_.find('\n', start);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      return false;
    }
    pos_ = end + 1;
    ++line_;
  }
  return false;
}

std::optional<std::vector<std::string>> CsvReader::next() {
  if (!skip_blank_and_comment_lines()) return std::nullopt;
  record_line_ = line_;
  std::vector<std::string> fields;
  while (true) {
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    std::size_t field_no = fields.size() + 1;
    if (pos_ < text_.size() && text_[pos_] == '"')
      fields.push_back(quoted_field(field_no));
    else
      fields.push_back(plain_field(field_no));
    if (pos_ >= text_.size()) return fields;
    char separator = text_[pos_++];
    if (separator == '\n') {
      ++line_;
      return fields;
    }
    // Otherwise a comma: another field follows, empty if the line ends here.
  }
}

std::string CsvReader::quoted_field(std::size_t field_no) {
  std::size_t opened_on = line_;
  std::string value;
  ++pos_;  // the opening quote
  while (true) {
    if (pos_ >= text_.size())
      throw ListError(source_, opened_on, "unterminated quoted field " + std::to_string(field_no));
    char c = text_[pos_++];
    if (c == '"') {
      if (pos_ < text_.size() && text_[pos_] == '"') {
        value += '"';
        ++pos_;
        continue;
      }
      break;
    }
    if (c == '\n') ++line_;
    value += c;
  }
  while (pos_ < text_.size() && (is_blank(text_[pos_]) || text_[pos_] == '\r')) ++pos_;
  if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n')
    throw ListError(source_, line_,
                    "unexpected '" + std::string(1, text_[pos_]) + "' after the closing quote of field " +
                        std::to_string(field_no));
  return value;
}

std::string CsvReader::plain_field(std::size_t field_no) {
  std::size_t start = pos_;
  while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') ++pos_;
  std::string_view value = text_.substr(start, pos_ - start);
  while (!value.empty() && (is_blank(value.back()) || value.back() == '\r')) value.remove_suffix(1);
  if (value.find('"') != std::string_view::npos)
    throw ListError(source_, line_,
                    "quote inside unquoted field " + std::to_string(field_no) + " (quote the whole field)");
  return std::string(value);
}

}  // namespace mxsentry
