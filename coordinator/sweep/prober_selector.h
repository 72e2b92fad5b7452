#pragma once
// Which probers a sweep uses, chosen by the k=v tags each prober declared in its HELLO
// (mxsentry-prober --tags country=NL,asn=1136). A selector lists required tags; a prober
// matches when it has every one of them with the same value. No tags required: every prober.

#include <map>
#include <string>
#include <string_view>

namespace mxsentry {

/// Which probers a sweep uses, by the tags they declared in HELLO: every k=v must match.
struct ProberSelector {
  std::map<std::string, std::string> required;   // empty: every prober
  bool matches(const std::map<std::string, std::string>& tags) const;
  std::string to_string() const;                 // "k=v,k2=v2" in key order; "" when empty
  /// "k=v,k2=v2": blanks around items, keys and values are dropped; "" (or blanks) is the empty
  /// selector. A value may be empty ("k=") or hold '=' (split at the first one), as a prober's
  /// --tags allows. Throws std::invalid_argument naming the bad item (missing '=', empty key,
  /// duplicate key, empty item as in "a=1,,b=2").
  static ProberSelector parse(std::string_view text);
};

}  // namespace mxsentry
