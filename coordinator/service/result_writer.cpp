#include "coordinator/service/result_writer.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>

namespace mxsentry::service {

ResultWriter::ResultWriter(const std::string& db_path, std::size_t max_batch)
    : ResultWriter(Sink{}, max_batch, 5'000, 10'000) {
  // The store is opened here, on the loop's thread, so that a file it cannot open fails the
  // coordinator's setup; from then on only the writer's thread uses it.
  auto store = std::make_shared<SweepStore>(db_path);
  std::lock_guard lock(mutex_);
  sink_ = [store](const WriteBatch& batch) { store->write_batch(batch.results, batch.done_units); };
  work_.notify_all();
}

ResultWriter::ResultWriter(Sink sink, std::size_t max_batch, std::int64_t max_backoff_ms, std::int64_t shutdown_grace_ms)
    : sink_(std::move(sink)), max_batch_(std::max<std::size_t>(max_batch, 1)), max_backoff_ms_(max_backoff_ms),
      shutdown_grace_ms_(shutdown_grace_ms), thread_([this] { run(); }) {}

ResultWriter::~ResultWriter() { close(); }

void ResultWriter::close() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void ResultWriter::add_results(std::vector<StoredResult> results) {
  if (results.empty()) return;
  std::lock_guard lock(mutex_);
  stats_.queued_results += results.size();
  stats_.backlog += results.size();
  queue_.push_back(Job{next_seq_++, std::move(results), 0});
  work_.notify_one();
}

void ResultWriter::mark_unit_done(std::uint64_t unit) {
  std::lock_guard lock(mutex_);
  queue_.push_back(Job{next_seq_++, {}, unit});
  work_.notify_one();
}

bool ResultWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = next_seq_ - 1;
  written_.wait(lock, [&] { return written_seq_ >= target || stopping_; });
  return written_seq_ >= target;
}

void ResultWriter::stop() {
  std::lock_guard lock(mutex_);
  if (!stopping_) stopped_at_ = std::chrono::steady_clock::now();
  stopping_ = true;
  work_.notify_all();
  written_.notify_all();
}

std::size_t ResultWriter::backlog() const {
  std::lock_guard lock(mutex_);
  return stats_.backlog;
}

WriterStats ResultWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

WriteBatch ResultWriter::take_batch(std::uint64_t& last_seq) {
  WriteBatch batch;
  while (!queue_.empty()) {
    Job& job = queue_.front();
    if (!batch.results.empty() && batch.results.size() + job.results.size() > max_batch_) break;
    batch.results.insert(batch.results.end(), std::make_move_iterator(job.results.begin()),
                         std::make_move_iterator(job.results.end()));
    if (job.done_unit != 0) batch.done_units.push_back(job.done_unit);
    last_seq = job.seq;
    queue_.pop_front();
  }
  return batch;
}

void ResultWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [&] { return (sink_ && !queue_.empty()) || stopping_; });
    if (queue_.empty() || !sink_) return;  // stopping, nothing left
    std::uint64_t last_seq = 0;
    WriteBatch batch = take_batch(last_seq);
    // Tried until written; once stopping, for at most the shutdown grace, then given up with
    // everything still queued (the units it would have marked done stay open: a restart asks
    // their tasks again).
    std::int64_t backoff_ms = 50;
    while (true) {
      const bool last_try =
          stopping_ && std::chrono::steady_clock::now() >= stopped_at_ + std::chrono::milliseconds(shutdown_grace_ms_);
      lock.unlock();
      std::string error;
      try {
        sink_(batch);
      } catch (const std::exception& e) {
        error = e.what();
      }
      lock.lock();
      if (error.empty()) {
        stats_.written_results += batch.results.size();
        ++stats_.transactions;
        stats_.last_error.clear();
        break;
      }
      ++stats_.failures;
      stats_.last_error = error;
      if (last_try) return;  // given up: flush() says so, as stopping
      work_.wait_for(lock, std::chrono::milliseconds(backoff_ms));
      backoff_ms = std::min(backoff_ms * 2, max_backoff_ms_);
    }
    stats_.backlog -= std::min(stats_.backlog, batch.results.size());
    written_seq_ = last_seq;
    written_.notify_all();
  }
}

}  // namespace mxsentry::service
