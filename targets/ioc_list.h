#pragma once
// IOC lists: addresses and prefixes known to serve attackers (an answer pointing into one is
// evidence `ioc-listed`). The format is the prefix-list format: one `IP` or `IP/len` a line,
// `#` comments.

#include <string>

#include "targets/prefix_list.h"

namespace mxsentry {

/// Reads an IOC list file; throws ListError naming file:line (also when it cannot be read).
PrefixList load_ioc_list(const std::string& path);

}  // namespace mxsentry
