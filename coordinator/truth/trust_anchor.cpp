#include "coordinator/truth/trust_anchor.h"

namespace mxsentry {

void load_trust_anchor(dnssec::Validator& validator, const std::string& path) {
  if (!path.empty()) validator.load_trust_anchor_file(path);
}

}  // namespace mxsentry
