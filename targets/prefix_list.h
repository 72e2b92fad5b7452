#pragma once
// Address prefixes (opt-out lists, later IOC lists): one `IP` or `IP/len` a line, `#` comments.

#include <string>
#include <string_view>
#include <vector>

#include "prober/core/endpoint.h"
#include "targets/list_error.h"

namespace mxsentry {

struct Prefix {
  Endpoint network;  ///< port unused
  unsigned length = 0;
  bool contains(const Endpoint& address) const;
  std::string to_string() const;
};

/// Parses "192.0.2.0/24", "2001:db8::/32" or a bare address (a /32 or /128); nullopt and a reason.
std::optional<Prefix> parse_prefix(std::string_view text, std::string* error = nullptr);

class PrefixList {
 public:
  void add(const Prefix& prefix) { prefixes_.push_back(prefix); }
  /// The first prefix that holds the address, or nullptr.
  const Prefix* match(const Endpoint& address) const;
  std::size_t size() const { return prefixes_.size(); }

 private:
  std::vector<Prefix> prefixes_;
};

/// Parses the text of a list; throws ListError naming source:line.
PrefixList parse_prefix_list(std::string_view text, const std::string& source);
/// Reads a list file; throws ListError (also when it cannot be read).
PrefixList load_prefix_list(const std::string& path);

}  // namespace mxsentry
