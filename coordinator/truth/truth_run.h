#pragma once
// `mxsentry truth`: the authoritative answers for names, found from the root down.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "coordinator/truth/root_hints.h"
#include "coordinator/truth/truth_finder.h"

namespace mxsentry {

struct TruthOptions {
  std::vector<std::pair<std::string, std::uint16_t>> questions;
  std::string root_hints = default_root_hints_path;
  std::string trust_anchor = default_trust_anchor_path;
  TruthConfig config;
  bool json = false;
  std::uint32_t timeout_ms = 1500;
  std::uint32_t retries = 1;
  double per_server_qps = 20;  ///< authoritative servers are asked gently too
};

/// Finds the truth for every question with the engine on a libuv loop. Throws on input errors.
std::vector<Truth> find_truths(const TruthOptions& options);
/// Called with each truth as soon as it is found, with its question's place in
/// options.questions (on the calling thread, from inside find_truths).
using TruthFound = std::function<void(std::size_t place, const Truth& truth)>;

/// The same with a validator the caller keeps (its trust anchor loaded by the caller): its
/// validated keys stay for checking the signatures resolvers pass on, and later calls reuse them.
std::vector<Truth> find_truths(const TruthOptions& options, dnssec::Validator& validator,
                               const TruthFound& found = nullptr);

/// The whole command: 0 every name has an authoritative answer, 1 some have none, 2 error.
int run_truth(const TruthOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mxsentry
