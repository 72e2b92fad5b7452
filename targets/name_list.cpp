#include "targets/name_list.h"

#include <iostream>
#include <iterator>
#include <sstream>

#include <sys/stat.h>

#include "protocol/dns/dns_wire.h"
#include "protocol/dns/codes.h"

namespace mxsentry {

std::optional<NameEntry> parse_name_line(std::string_view line, const std::string& source, std::size_t line_no) {
  line = strip_comment(line);
  if (line.empty()) return std::nullopt;
  NameEntry entry;
  entry.line = line_no;
  auto blank = line.find_first_of(" \t");
  std::string_view name = line.substr(0, blank);
  for (unsigned char c : name) {
    // Raw UTF-8 would be asked as it is, and no resolver knows such a name: IDNs go as A-labels.
    if (c >= 0x80)
      throw ListError(source, line_no, "bad name " + shown_text(name) +
                                           ": not ASCII (write an internationalised name as its xn-- A-label)");
  }
  std::string error;
  if (!wire::name_to_wire(name, &error)) throw ListError(source, line_no, error);
  entry.name = std::string(name);
  if (blank != std::string_view::npos) {
    std::string_view rest = line.substr(blank);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (rest.find_first_of(" \t") != std::string_view::npos)
      throw ListError(source, line_no, "expected 'name [TYPE]', got " + shown_text(line));
    auto type = rr_type_from_name(rest);
    if (!type) throw ListError(source, line_no, "unknown record type " + shown_text(rest));
    entry.qtype = *type;
  }
  return entry;
}

std::vector<std::uint16_t> parse_type_list(std::string_view text) {
  std::vector<std::uint16_t> types;
  while (true) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    auto type = rr_type_from_name(item);
    if (!type) throw ListError("unknown record type '" + std::string(item) + "' in --types");
    types.push_back(*type);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return types;
}

namespace {

std::unique_ptr<std::ifstream> open_list(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw ListError(path + ": cannot open the name list (it is a directory)");
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) throw ListError(path + ": cannot open the name list");
  return file;
}

}  // namespace

NameFileReader::NameFileReader(const std::string& path) : path_(path) {
  if (path == "-") {
    in_ = &std::cin;
    return;
  }
  owned_ = open_list(path);
  in_ = owned_.get();
}

NameFileReader::NameFileReader(std::string text, const std::string& source)
    : path_(source), owned_(std::make_unique<std::istringstream>(std::move(text))), in_(owned_.get()) {}

std::optional<NameEntry> NameFileReader::next() {
  while (std::getline(*in_, line_)) {
    ++line_no_;
    // Editors on some systems start a UTF-8 file with a byte order mark: not part of the name.
    if (line_no_ == 1 && line_.starts_with("\xEF\xBB\xBF")) line_.erase(0, 3);
    if (auto entry = parse_name_line(line_, path_, line_no_)) return entry;
  }
  if (in_->bad()) throw ListError(path_ + ": read error");
  return std::nullopt;
}

std::size_t validate_name_file(const std::string& path) {
  NameFileReader reader(path);
  std::size_t count = 0;
  while (reader.next()) ++count;
  return count;
}

bool rereadable_file(const std::string& path) {
  struct stat st {};
  return path != "-" && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::unique_ptr<NameFileReader> open_checked_name_list(const std::string& path) {
  if (rereadable_file(path)) {
    validate_name_file(path);
    return std::make_unique<NameFileReader>(path);
  }
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) throw ListError("-: read error");
  } else {
    auto in = open_list(path);  // opened once: a named pipe's writer sees one reader
    text.assign(std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>());
    if (in->bad()) throw ListError(path + ": read error");
  }
  NameFileReader check(text, path);
  while (check.next()) {
  }
  return std::make_unique<NameFileReader>(std::move(text), path);
}

}  // namespace mxsentry
