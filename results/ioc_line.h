#pragma once
// One line of an IOC list made from forged records: the address, then a comment saying when it
// was seen first and last, for which names, at which resolvers, and the verdict. The comment
// starts with '#', so the line reads back as an IOC list entry (`--ioc`, targets/ioc_list.h).

#include <cstdint>
#include <string>
#include <vector>

namespace mxsentry {

struct IocEntry {
  std::string address;
  std::int64_t first_ms = 0, last_ms = 0;  ///< Unix ms
  std::vector<std::string> names;          ///< the names it answered for
  std::vector<std::string> resolvers;      ///< the resolvers (or sensors) that gave it
  std::string verdict;                     ///< the worst verdict it came with
};

/// How many names and resolvers a line lists before saying how many more there are.
inline constexpr std::size_t ioc_list_limit = 10;

/// "203.0.113.66 # poisoned first=... last=... names=a.,b. resolvers=192.0.2.1 (+3 more)\n".
/// The listed names and resolvers are sorted.
std::string format_ioc_line(IocEntry entry);

}  // namespace mxsentry
