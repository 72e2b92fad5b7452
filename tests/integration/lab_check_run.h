#pragma once
// One full `mxsentry check` of the lab (every lab domain at every lab resolver, with the AS
// map, the IOC list and a database), shared by the tests that read its verdicts or its store.
// ctest runs each case in its own process: the first runs the check and leaves its output in
// the lab directory (which `lab up` clears); the others, under the same lock, read it.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/child_process.h"

namespace mxsentry::test {

/// The lab's four mail domains.
extern const std::vector<std::string> lab_domains;

/// `mxsentry check` of the lab domains at the lab's resolvers with `extra` arguments.
std::vector<std::string> check_command(const std::vector<std::string>& extra);

struct CheckRun {
  CommandResult result;
  std::vector<nlohmann::json> verdicts;
  std::string db;  ///< the check file
};

/// The shared check (run once per lab).
const CheckRun& lab_check();


}  // namespace mxsentry::test
