#pragma once
// The opt-out lists in force: addresses and prefixes whose operators asked not to be probed.
// The files given on the command line and, whenever it exists, the host's system list; a
// resolver any of them covers is never asked, whatever the command or a work unit says.

#include <string>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/prefix_list.h"

namespace mxsentry {

/// Where operators' opt-out requests are kept on a probing host; read whenever it exists.
inline constexpr const char* system_opt_out_path = "/etc/mxsentry/opt-out.txt";

class OptOut {
 public:
  /// Reads `paths` and the system list; throws ListError naming the file and line.
  static OptOut load(const std::vector<std::string>& paths);
  bool covers(const Endpoint& address) const;

 private:
  std::vector<PrefixList> lists_;
};

}  // namespace mxsentry
