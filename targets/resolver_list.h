#pragma once
// Resolver lists: one `IP`, `IP:port` or `[IPv6]:port` a line, `#` comments.

#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/list_error.h"
#include "targets/resolver_address.h"

namespace mxsentry {

struct ResolverList {
  std::vector<Endpoint> resolvers;  ///< in file order, duplicates removed
  std::size_t duplicates = 0;
};

/// Parses the text of a list; `source` names it in errors. Throws ListError at the first bad line.
ResolverList parse_resolver_list(std::string_view text, const std::string& source,
                                 const ResolverListOptions& options);
/// Reads and parses a list file; throws ListError (also when the file cannot be read).
ResolverList load_resolver_list(const std::string& path, const ResolverListOptions& options);

}  // namespace mxsentry
