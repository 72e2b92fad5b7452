#pragma once
// Compares what a resolver answered with what the authoritative servers say, record by record.
// Pure: data in, differences out. TTLs never decide whether a record matches (caches count
// them down); owner names and names inside rdata compare case-insensitively.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/truth/truth_types.h"
#include "prober/core/observation.h"

namespace mxsentry {

struct Comparison {
  std::vector<ResourceRecord> matched;    ///< answer records the truth holds too
  std::vector<ResourceRecord> unmatched;  ///< answer records no authoritative server gave
  std::vector<ResourceRecord> above_ttl;  ///< records whose TTL is above the authoritative TTL
  bool used_cname = false;                ///< the answer has CNAME records
  bool cname_matches = false;             ///< ... and every one of them is in the truth
  std::vector<std::string> observed;      ///< rdata of the answer's records of the asked type
  std::vector<std::string> expected;      ///< rdata of the truth's records of the asked type
  std::uint32_t max_ttl = 0;              ///< highest TTL in the answer
  std::uint32_t expected_ttl = 0;         ///< highest authoritative TTL for the asked type (or the truth's)
};

/// The name that holds the answer: the qname, or where the answer's CNAME chain from it ends
/// (at most 16 links; a loop ends it). Lower case, as in the answer.
std::string answer_owner(const Observation& observation);
/// Names compare without case.
bool same_name(std::string_view a, std::string_view b);

/// The record as compared: "owner type rdata", lower case, no TTL.
std::string record_key(const ResourceRecord& record);

Comparison compare_with_truth(const Observation& observation, const Truth& truth, std::uint32_t ttl_slack_seconds);

}  // namespace mxsentry
