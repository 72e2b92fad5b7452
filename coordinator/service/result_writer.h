#pragma once
// Writes a sweep's results, and the units they finish, on a thread of its own, so the loop that
// serves the probers and the control API never waits for SQLite. What the loop hands over is
// written in the order it came, in batched transactions (everything queued since the last
// transaction, up to `max_batch` results). A transaction that fails (a full disk, a file locked
// too long) is tried again with backoff, its results kept in memory meanwhile: nothing the
// ledger counted is lost while the process lives, and a crash costs only what a restart asks
// again (a unit is marked done in the same transaction as, or after, its last result). The
// loop holds back new work while the backlog is large (`backlog()`); a judging waits with
// `flush()` until every result queued before it is in the database.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/sweep/sweep_store.h"

namespace mxsentry::service {

/// What one transaction writes: results first, then the units they finish.
struct WriteBatch {
  std::vector<StoredResult> results;
  std::vector<std::uint64_t> done_units;
};

struct WriterStats {
  std::uint64_t queued_results = 0;   ///< handed over since the start
  std::uint64_t written_results = 0;  ///< in a committed transaction
  std::uint64_t transactions = 0;     ///< committed
  std::uint64_t failures = 0;         ///< transactions that failed (each tried again)
  std::size_t backlog = 0;            ///< results handed over, not yet written
  std::string last_error;             ///< of the latest failure; empty once a transaction commits
};

class ResultWriter {
 public:
  /// Writes one batch in one transaction; throws when it cannot (then it is tried again).
  using Sink = std::function<void(const WriteBatch&)>;

  /// A writer into the sweep database at `db_path`, on its own connection.
  explicit ResultWriter(const std::string& db_path, std::size_t max_batch = 20'000);
  /// A writer into `sink` (tests); `max_backoff_ms` bounds the wait between tries,
  /// `shutdown_grace_ms` how long tries go on once stop() is called.
  ResultWriter(Sink sink, std::size_t max_batch, std::int64_t max_backoff_ms, std::int64_t shutdown_grace_ms = 10'000);
  /// Writes what is queued (tried for at most the shutdown grace when the database refuses),
  /// then stops; backlog() then says what was not written.
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  void add_results(std::vector<StoredResult> results);
  /// Marks the unit done once every result queued before is written.
  void mark_unit_done(std::uint64_t unit);
  /// Waits until everything queued before the call is written. Returns false when the writer
  /// is stopping first (the coordinator is shutting down).
  bool flush();
  /// Stops waiting: flush() returns false from now on; what is queued is written, tried for
  /// at most the shutdown grace.
  void stop();
  /// Stops and waits for the writer's thread to end (the destructor does it too).
  void close();

  std::size_t backlog() const;
  WriterStats stats() const;

 private:
  /// One hand-over from the loop, in order.
  struct Job {
    std::uint64_t seq = 0;
    std::vector<StoredResult> results;
    std::uint64_t done_unit = 0;  ///< 0: none
  };

  void run();
  /// Takes queued jobs into one batch (up to max_batch_ results, at least one job).
  WriteBatch take_batch(std::uint64_t& last_seq);

  Sink sink_;
  std::size_t max_batch_;
  std::int64_t max_backoff_ms_;
  std::int64_t shutdown_grace_ms_;
  std::chrono::steady_clock::time_point stopped_at_;

  mutable std::mutex mutex_;
  std::condition_variable work_;     ///< a job came, or stop
  std::condition_variable written_;  ///< written_seq_ moved, or stop
  std::deque<Job> queue_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t written_seq_ = 0;  ///< every job up to it is written
  bool stopping_ = false;
  WriterStats stats_;
  std::thread thread_;
};

}  // namespace mxsentry::service
