#pragma once
// A network of the test's own: this process (and every program it starts afterwards) moves
// into a new network namespace with only `lo`, up. Nothing sent there can reach another
// machine or another test, and `tc` may change `lo` freely.
#include <string>

namespace mxsentry::test {

/// Empty when this process is now in a network namespace of its own, else why not (it then
/// stays where it was: the tests fall back to the host's loopback and ephemeral ports).
std::string enter_own_network();

/// Puts `tc qdisc ... netem <spec>` on `lo` (only inside a network of the test's own). Empty
/// when it is in place, else why not: many kernels (this project's CI machine among them)
/// have no netem module, and then the relay's faults stand in.
std::string try_netem(const std::string& spec);

/// `tc -s qdisc show dev lo`: netem's own counts (sent, dropped), for the test's record.
std::string netem_statistics();

}  // namespace mxsentry::test
