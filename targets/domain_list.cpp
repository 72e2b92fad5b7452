#include "targets/domain_list.h"

#include <unordered_set>

#include "targets/line_cursor.h"
#include "targets/text_file.h"

namespace mxsentry {

DomainList parse_domain_list(std::string_view text, const std::string& source) {
  DomainList list;
  std::unordered_set<std::string> seen;
  LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    line = strip_comment(line);
    if (line.empty()) continue;
    if (line.find_first_of(" \t") != std::string_view::npos)
      throw ListError(source, lines.line_no(), "expected one domain a line, got " + shown_text(line));
    std::string error;
    auto domain = parse_domain(line, &error);
    if (!domain) throw ListError(source, lines.line_no(), error);
    if (!seen.insert(*domain).second) {
      ++list.duplicates;
      continue;
    }
    list.domains.push_back(std::move(*domain));
  }
  return list;
}

DomainList load_domain_list(const std::string& path) {
  return parse_domain_list(read_list_file(path, "domain list"), path);
}

}  // namespace mxsentry
