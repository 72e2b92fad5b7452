#include "targets/resolver_list.h"

#include <fstream>
#include <sstream>
#include <unordered_set>

#include "targets/address_class.h"

namespace mxsentry {

ResolverList parse_resolver_list(std::string_view text, const std::string& source,
                                 const ResolverListOptions& options) {
  ResolverList list;
  std::unordered_set<Endpoint, EndpointHash> seen;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    line = strip_comment(line);
    if (line.empty()) continue;
    if (line.find_first_of(" \t") != std::string_view::npos)
      throw ListError(source, line_no, "expected one address a line, got '" + std::string(line) + "'");
    std::string error;
    auto endpoint = Endpoint::parse(line, &error);
    if (!endpoint) throw ListError(source, line_no, error);
    if (!options.allow_private) {
      if (auto block = special_purpose_block(*endpoint))
        throw ListError(source, line_no,
                        endpoint->address_string() + " is " + *block +
                            "; such addresses are probed only with --allow-private");
    }
    if (!seen.insert(*endpoint).second) {
      ++list.duplicates;
      continue;
    }
    list.resolvers.push_back(*endpoint);
  }
  return list;
}

ResolverList load_resolver_list(const std::string& path, const ResolverListOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ListError(path + ": cannot open the resolver list");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ListError(path + ": read error");
  return parse_resolver_list(text.str(), path, options);
}

}  // namespace mxsentry
