#pragma once
// `mxsentry targets expand`: mail domains in, their MX and NS hosts out, ranked by in-degree
// (how many of the domains depend on each host), as a names file for `mxsentry probe`.

#include <iosfwd>
#include <string>

#include "coordinator/truth/root_hints.h"

namespace mxsentry {

struct ExpandOptions {
  std::string domains_path;
  std::string root_hints = default_root_hints_path;
  std::string trust_anchor = default_trust_anchor_path;
  bool json = false;  ///< one host a line as JSON instead of the names-file text
};

/// 0 done, 1 some domains had no MX or NS answer (named on stderr), 2 error.
int run_targets_expand(const ExpandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mxsentry
