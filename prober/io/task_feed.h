#pragma once
// A lazy source of tasks: the driver pulls only as many as the engine's window takes, so
// memory stays bounded whatever the size of the input.

#include <cstddef>
#include <optional>
#include <vector>

#include "prober/core/task.h"

namespace mxsentry {

class TaskFeed {
 public:
  virtual ~TaskFeed() = default;
  /// The next task, or nullopt when there is none right now.
  virtual std::optional<Task> next() = 0;
  /// Whether a nullopt from next() means the end. A feed that makes tasks from the answers to
  /// earlier ones (the truth iterator) says false while it still expects answers.
  virtual bool finished() const { return true; }
  /// Whether tasks may come from outside the event loop (the prober's units, added by another
  /// thread). An open feed is not ended by an idle engine: the driver waits for
  /// UvQueryDriver::wake() and ends only when finished() says so.
  virtual bool open() const { return false; }
};

/// The tasks of a vector, in order. Borrowed: the vector must outlive the feed.
class VectorFeed final : public TaskFeed {
 public:
  explicit VectorFeed(const std::vector<Task>& tasks) : tasks_(tasks) {}
  std::optional<Task> next() override {
    if (at_ >= tasks_.size()) return std::nullopt;
    return tasks_[at_++];
  }

 private:
  const std::vector<Task>& tasks_;
  std::size_t at_ = 0;
};

}  // namespace mxsentry
