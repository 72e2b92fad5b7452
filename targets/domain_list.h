#pragma once
// Domain lists (the mail domains whose MX and NS hosts become targets): one domain a line, `#`
// comments. Names are checked and kept in canonical form: lower case with a trailing dot.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/names.h"
#include "targets/list_error.h"

namespace mxsentry {

struct DomainList {
  std::vector<std::string> domains;  ///< canonical, in file order, duplicates removed
  std::size_t duplicates = 0;
};

/// Parses the text of a list; throws ListError naming source:line at the first bad line.
DomainList parse_domain_list(std::string_view text, const std::string& source);
/// Reads and parses a list file; throws ListError (also when the file cannot be read).
DomainList load_domain_list(const std::string& path);

}  // namespace mxsentry
