#include "targets/name_list.h"

#include <iostream>

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
  std::string error;
  if (!wire::name_to_wire(name, &error)) throw ListError(source, line_no, error);
  entry.name = std::string(name);
  if (blank != std::string_view::npos) {
    std::string_view rest = line.substr(blank);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (rest.find_first_of(" \t") != std::string_view::npos)
      throw ListError(source, line_no, "expected 'name [TYPE]', got '" + std::string(line) + "'");
    auto type = rr_type_from_name(rest);
    if (!type) throw ListError(source, line_no, "unknown record type '" + std::string(rest) + "'");
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

NameFileReader::NameFileReader(const std::string& path) : path_(path) {
  if (path == "-") {
    in_ = &std::cin;
    return;
  }
  file_ = std::make_unique<std::ifstream>(path);
  if (!*file_) throw ListError(path + ": cannot open the name list");
  in_ = file_.get();
}

std::optional<NameEntry> NameFileReader::next() {
  while (std::getline(*in_, line_)) {
    ++line_no_;
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

}  // namespace mxsentry
