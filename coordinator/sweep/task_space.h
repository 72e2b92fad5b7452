#pragma once
// A sweep's tasks without a row or an object per task (pure). The sweep's inputs are kept once,
// interned: its resolvers and its questions. A unit is a range over a block of that space: a
// run of consecutive resolvers asked every question, question by question (so consecutive tasks
// go to different resolvers), and a task is an index into it. A sweep of 1M resolvers × 1k
// names × 2 types costs the size of its inputs and of its units, not of its 2 × 10⁹ tasks.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "protocol/dns/question.h"
#include "protocol/messages.h"

namespace mxsentry {

/// The interned inputs: each resolver parsed once (results are checked against it).
struct TaskSpace {
  std::vector<std::string> resolvers;  ///< resolver-list syntax, as the plan took them
  std::vector<std::optional<Endpoint>> endpoints;  ///< resolvers[i] parsed; nothing when it does not parse
  std::vector<Question> questions;

  TaskSpace() = default;
  TaskSpace(std::vector<std::string> resolver_list, std::vector<Question> question_list);
};

/// Tasks [task_first, task_first + task_count) of the block of resolvers
/// [resolver_first, resolver_first + resolver_count) × every question: task t of the block asks
/// resolvers[resolver_first + t % resolver_count] questions[t / resolver_count].
struct TaskRange {
  std::uint32_t resolver_first = 0, resolver_count = 0;  ///< resolver_count 0: no range
  std::uint64_t task_first = 0;
  std::uint32_t task_count = 0;
  bool operator==(const TaskRange&) const = default;

  bool empty() const { return resolver_count == 0 || task_count == 0; }
  std::uint32_t resolver_index(std::uint32_t task) const {
    return resolver_first + static_cast<std::uint32_t>((task_first + task) % resolver_count);
  }
  std::uint32_t question_index(std::uint32_t task) const {
    return static_cast<std::uint32_t>((task_first + task) / resolver_count);
  }
  /// The most tasks of the range that one resolver gets (its share bounds the unit's time).
  std::uint32_t most_per_resolver() const;
};

/// The unit's task as the WORK message carries it.
protocol::WorkTask work_task(const TaskSpace& space, const TaskRange& range, std::uint32_t task);

/// A range that fits `space`: within its resolvers, and within resolver_count × questions tasks.
bool range_fits(const TaskSpace& space, const TaskRange& range);

}  // namespace mxsentry
