#pragma once
// The prober's one engine: one libuv loop on one thread for the life of the process, fed by
// the units' feed. The per-resolver token buckets are the engine's, shared by every unit, so
// the vantage's caps hold whatever runs at once. Observations (and tasks the engine could not
// take, as network errors) cross to the agent's thread through a mutex-protected hand-off,
// which the agent empties every turn of its loop; the socket never leaves the agent's thread.

#include <atomic>
#include <cstddef>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "prober/core/observation.h"
#include "prober/core/query_engine.h"
#include "prober/io/task_feed.h"

namespace mxsentry {

class UvQueryDriver;

class EngineThread {
 public:
  EngineThread() = default;
  ~EngineThread() { stop(); }
  EngineThread(const EngineThread&) = delete;
  EngineThread& operator=(const EngineThread&) = delete;

  /// Starts the loop on its thread with `feed` (an open feed, TaskFeed::open). Returns an error
  /// message (no sockets, a bad configuration) or empty once the engine runs.
  std::string start(const EngineConfig& config, TaskFeed& feed);
  /// Thread-safe: tasks were added or the feed was let go on; the driver looks again.
  void wake();
  /// Abandons what is in flight, stops the loop and joins the thread. Idempotent.
  void stop();

  /// Moves the observations handed over so far to the back of `out`.
  void take(std::vector<Observation>& out);
  /// Observations handed over and not taken yet.
  std::size_t waiting() const;

 private:
  void run(const EngineConfig& config, TaskFeed& feed, std::promise<std::string>* started);
  void hand_over(Observation&& o);

  std::thread thread_;
  std::mutex driver_mutex_;  ///< guards driver_ (set while the loop runs)
  UvQueryDriver* driver_ = nullptr;
  std::atomic<bool> stopping_{false};

  mutable std::mutex handoff_mutex_;
  std::vector<Observation> handoff_;
};

}  // namespace mxsentry
