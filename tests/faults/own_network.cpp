#include "faults/own_network.h"

#include <cerrno>
#include <cstring>
#include <sstream>

#include <sched.h>

#include "integration/child_process.h"

namespace mxsentry::test {

namespace {

std::string ip_program() { return "/usr/sbin/ip"; }
std::string tc_program() { return "/usr/sbin/tc"; }

}  // namespace

std::string enter_own_network() {
  if (::unshare(CLONE_NEWNET) != 0) return std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno);
  auto r = run_command({ip_program(), "link", "set", "lo", "up"}, 10000);
  if (r.exit_code != 0) return "ip link set lo up: exit " + std::to_string(r.exit_code) + ": " + r.err;
  return {};
}

std::string try_netem(const std::string& spec) {
  std::vector<std::string> argv{tc_program(), "qdisc", "add", "dev", "lo", "root", "netem"};
  std::istringstream words(spec);
  for (std::string w; words >> w;) argv.push_back(w);
  auto r = run_command(argv, 10000);
  if (r.exit_code == 0) return {};
  return "tc exit " + std::to_string(r.exit_code) + ": " + r.err;
}

std::string netem_statistics() { return run_command({tc_program(), "-s", "qdisc", "show", "dev", "lo"}, 10000).out; }

}  // namespace mxsentry::test
