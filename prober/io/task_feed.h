#pragma once
// A lazy source of tasks: the driver pulls only as many as the engine's window takes, so
// memory stays bounded whatever the size of the input.

#include <optional>

#include "prober/core/task.h"

namespace mxsentry {

class TaskFeed {
 public:
  virtual ~TaskFeed() = default;
  /// The next task, or nullopt when there are no more.
  virtual std::optional<Task> next() = 0;
};

}  // namespace mxsentry
