#pragma once
// Turns a resolver list and a stream of names into tasks, lazily, in one of two orders:
//  fanout: every (name, type) at every resolver, resolvers innermost so that consecutive
//          tasks go to different resolvers and per-resolver limits rarely stall the window;
//  spread: every (name, type) once, the resolvers taking turns.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "prober/io/task_feed.h"
#include "targets/name_list.h"

namespace mxsentry {

enum class ProbeMode { fanout, spread };

class ProbePlan final : public TaskFeed {
 public:
  /// `types` applies to names whose line names no type; it must not be empty, nor `resolvers`.
  ProbePlan(std::vector<Endpoint> resolvers, NameSource& names, std::vector<std::uint16_t> types, ProbeMode mode);

  std::optional<Task> next() override;

  /// Set when the name source failed mid-stream (the plan then ends early).
  const std::string& error() const { return error_; }
  std::uint64_t planned() const { return index_; }
  /// (name, type) pairs skipped because they were asked already (names compared without case).
  std::uint64_t duplicates() const { return duplicates_; }

 private:
  bool next_name();
  bool first_time(const std::string& qname, std::uint16_t qtype);

  std::vector<Endpoint> resolvers_;
  NameSource& names_;
  std::vector<std::uint16_t> default_types_;
  ProbeMode mode_;

  std::string qname_;
  std::vector<std::uint16_t> types_;
  std::size_t type_at_ = 0;
  std::size_t resolver_at_ = 0;  ///< fanout: position in the resolver list for this (name, type)
  std::size_t turn_ = 0;         ///< spread: whose turn it is
  bool have_name_ = false;
  bool done_ = false;
  std::uint64_t index_ = 0;
  std::string error_;
  std::unordered_set<std::uint64_t> asked_;  ///< hashes of the (name, type) pairs planned
  std::string key_scratch_;
  std::uint64_t duplicates_ = 0;
};

}  // namespace mxsentry
