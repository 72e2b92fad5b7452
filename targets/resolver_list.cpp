#include "targets/resolver_list.h"

#include <unordered_set>

#include "targets/line_cursor.h"
#include "targets/text_file.h"

namespace mxsentry {

ResolverList parse_resolver_list(std::string_view text, const std::string& source,
                                 const ResolverListOptions& options) {
  ResolverList list;
  std::unordered_set<Endpoint, EndpointHash> seen;
  LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    line = strip_comment(line);
    if (line.empty()) continue;
    if (line.find_first_of(" \t") != std::string_view::npos)
      throw ListError(source, lines.line_no(), "expected one address a line, got " + shown_text(line));
    Endpoint endpoint = parse_resolver_address(line, source, lines.line_no(), options);
    if (!seen.insert(endpoint).second) {
      ++list.duplicates;
      continue;
    }
    list.resolvers.push_back(endpoint);
  }
  return list;
}

ResolverList load_resolver_list(const std::string& path, const ResolverListOptions& options) {
  return parse_resolver_list(read_list_file(path, "resolver list"), path, options);
}

}  // namespace mxsentry
