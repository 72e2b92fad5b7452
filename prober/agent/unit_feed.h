#pragma once
// The prober's units as one open task feed for its one engine. The agent's thread adds a
// unit's tasks; the driver's thread pulls them, only as many as the engine's window takes.
// Fairness: an express unit (an on-demand check) goes first; the ordinary units take turns,
// one task each, so a big sweep unit never holds a small one back. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "prober/io/task_feed.h"

namespace mxsentry {

class UnitFeed final : public TaskFeed {
 public:
  /// Queues a unit's tasks (in the order given), behind the express units or in the ordinary
  /// rotation. `key` names the unit in the agent; the feed does not read it.
  void add(std::uint32_t key, bool express, std::vector<Task> tasks);
  /// While paused, next() gives nothing: the results waiting to be sent are at their bound.
  void set_paused(bool paused);
  /// No more units; what is queued is dropped. finished() is true from now on.
  void close();

  /// Tasks queued, over all units.
  std::size_t queued() const;
  /// Units with tasks still queued.
  std::size_t units() const;
  /// Ordinary (not express) units with tasks still queued.
  std::uint32_t ordinary_units() const;

  // TaskFeed (the driver's thread)
  std::optional<Task> next() override;
  bool finished() const override;
  bool open() const override { return true; }

 private:
  struct Unit {
    std::uint32_t key = 0;
    std::vector<Task> tasks;
    std::size_t next = 0;
  };
  static std::optional<Task> take(std::deque<Unit>& units, bool rotate);

  mutable std::mutex mutex_;
  std::deque<Unit> express_;
  std::deque<Unit> ordinary_;  ///< the front unit gives the next task, then goes to the back
  std::size_t queued_ = 0;
  bool paused_ = false;
  bool closed_ = false;
};

}  // namespace mxsentry
