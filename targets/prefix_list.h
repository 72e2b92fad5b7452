#pragma once
// Address prefixes (opt-out lists, IOC lists): one `IP` or `IP/len` a line, `#` comments.

#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/list_error.h"
#include "targets/prefix.h"
#include "targets/prefix_trie.h"

namespace mxsentry {

class PrefixList {
 public:
  void add(const Prefix& prefix);
  /// The most specific prefix that holds the address (of equal ones, the first added), or nullptr.
  const Prefix* match(const Endpoint& address) const;
  std::size_t size() const { return prefixes_.size(); }

 private:
  std::vector<Prefix> prefixes_;
  PrefixTrie index_;  ///< values are positions in prefixes_; lists may be large (IOC feeds)
};

/// Parses the text of a list; throws ListError naming source:line.
PrefixList parse_prefix_list(std::string_view text, const std::string& source);
/// Reads a list file; throws ListError (also when it cannot be read).
PrefixList load_prefix_list(const std::string& path);

}  // namespace mxsentry
