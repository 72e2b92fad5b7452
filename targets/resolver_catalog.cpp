#include "targets/resolver_catalog.h"

#include "targets/line_cursor.h"
#include "targets/resolver_fields.h"
#include "targets/text_file.h"

namespace mxsentry {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits a plain-format line into blank-separated words. Double quotes group a value with blanks
// (name="Deutsche Telekom") and are dropped; a '#' outside quotes starts a comment.
std::vector<std::string> split_words(std::string_view line, const std::string& source, std::size_t line_no) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && is_blank(line[i])) ++i;
    if (i == line.size() || line[i] == '#') return words;
    std::string word;
    bool in_quotes = false;
    for (; i < line.size() && (in_quotes || (!is_blank(line[i]) && line[i] != '#')); ++i) {
      if (line[i] == '"')
        in_quotes = !in_quotes;
      else
        word += line[i];
    }
    if (in_quotes) throw ListError(source, line_no, "unterminated quote in '" + std::string(line) + "'");
    words.push_back(std::move(word));
  }
}

void apply_tag(ResolverInfo& info, std::string_view tag, std::vector<ResolverField>& given,
               const std::string& source, std::size_t line_no) {
  auto equals = tag.find('=');
  if (equals == std::string_view::npos)
    throw ListError(source, line_no, "expected key=value after the address, got '" + std::string(tag) + "'");
  std::string_view key = tag.substr(0, equals), value = tag.substr(equals + 1);
  auto field = resolver_tag(key);
  if (!field)
    throw ListError(source, line_no,
                    "unknown tag '" + std::string(key) + "' (known: kind, country, asn, as_org, name)");
  for (auto f : given)
    if (f == *field) throw ListError(source, line_no, "tag '" + std::string(key) + "' given twice");
  given.push_back(*field);
  if (value.empty()) throw ListError(source, line_no, "empty value for tag '" + std::string(key) + "'");
  if (auto error = set_resolver_field(info, *field, value, key); !error.empty())
    throw ListError(source, line_no, error);
}

bool is_csv_header(std::string_view line) {
  while (true) {
    auto comma = line.find(',');
    std::string_view column = line.substr(0, comma);
    while (!column.empty() && (is_blank(column.front()) || column.front() == '"')) column.remove_prefix(1);
    while (!column.empty() && (is_blank(column.back()) || column.back() == '"')) column.remove_suffix(1);
    std::string name;
    for (char c : column) name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (name == "ip_address") return true;
    if (comma == std::string_view::npos) return false;
    line.remove_prefix(comma + 1);
  }
}

}  // namespace

ResolverCatalog parse_tagged_resolver_list(std::string_view text, const std::string& source,
                                           const ResolverListOptions& options) {
  CatalogBuilder catalog;
  LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    auto words = split_words(line, source, lines.line_no());
    if (words.empty()) continue;
    ResolverInfo info;
    info.address = parse_resolver_address(words[0], source, lines.line_no(), options);
    std::vector<ResolverField> given;
    for (std::size_t i = 1; i < words.size(); ++i) apply_tag(info, words[i], given, source, lines.line_no());
    catalog.add(std::move(info));
  }
  return catalog.take();
}

ResolverCatalog parse_resolver_catalog(std::string_view text, const std::string& source,
                                       const ResolverListOptions& options) {
  LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    line = strip_comment(line);
    if (line.empty()) continue;
    // A header names columns; a plain line starts with an address (whose tags may say anything).
    std::string_view first_word = line.substr(0, line.find_first_of(" \t"));
    if (is_csv_header(line) && !Endpoint::parse(first_word)) return parse_resolver_csv(text, source, options);
    if (first_word.find(',') != std::string_view::npos)
      throw ListError(source, lines.line_no(), "a CSV resolver list needs a header row with an ip_address column");
    break;
  }
  return parse_tagged_resolver_list(text, source, options);
}

ResolverCatalog load_resolver_catalog(const std::string& path, const ResolverListOptions& options) {
  return parse_resolver_catalog(read_list_file(path, "resolver list"), path, options);
}

}  // namespace mxsentry
