#pragma once
// A sweep's inputs read from its files: the questions from a names file and the resolvers from a
// resolver list. Shared by `mxsentry sweep start` and the coordinator's scheduled sweeps, so both
// read the same files the same way.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocol/dns/question.h"

namespace mxsentry {

/// Every line of a names file as questions: a line's own type, or each of `types` ("A,AAAA"). Canonical names. Throws ListError (targets/) naming file:line on a bad line.
/// A question that appears again (the same name on two lines, in any spelling) is kept once,
/// where it first appears: a sweep asks each resolver each question once. `types` is checked
/// before the file is opened (ListError naming the bad type).
std::vector<Question> read_sweep_questions(const std::string& targets_path, const std::string& types);

/// A resolver list as a sweep takes it: the addresses (Endpoint::to_string()) and the tagged
/// ASes of those that have one, by the same text.
struct SweepResolvers {
  std::vector<std::string> addresses;
  std::map<std::string, std::uint32_t> asns;
};

/// Reads a resolver list (plain, tagged or CSV) once for both; throws ListError naming
/// file:line (also for a private address without `allow_private`).
SweepResolvers read_sweep_resolver_list(const std::string& resolvers_path, bool allow_private);

}  // namespace mxsentry
