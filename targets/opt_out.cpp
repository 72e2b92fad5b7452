#include "targets/opt_out.h"

#include <algorithm>
#include <fstream>

namespace mxsentry {

OptOut OptOut::load(const std::vector<std::string>& paths) {
  OptOut out;
  for (const auto& path : paths) out.lists_.push_back(load_prefix_list(path));
  if (std::ifstream(system_opt_out_path).good()) out.lists_.push_back(load_prefix_list(system_opt_out_path));
  return out;
}

bool OptOut::covers(const Endpoint& address) const {
  return std::any_of(lists_.begin(), lists_.end(), [&](const PrefixList& list) { return list.match(address) != nullptr; });
}

}  // namespace mxsentry
