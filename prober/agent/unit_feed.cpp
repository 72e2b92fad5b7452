#include "prober/agent/unit_feed.h"

namespace mxsentry {

void UnitFeed::add(std::uint32_t key, bool express, std::vector<Task> tasks) {
  if (tasks.empty()) return;
  std::lock_guard lock(mutex_);
  if (closed_) return;
  queued_ += tasks.size();
  (express ? express_ : ordinary_).push_back(Unit{key, std::move(tasks), 0});
}

void UnitFeed::set_paused(bool paused) {
  std::lock_guard lock(mutex_);
  paused_ = paused;
}

void UnitFeed::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  express_.clear();
  ordinary_.clear();
  queued_ = 0;
}

std::size_t UnitFeed::queued() const {
  std::lock_guard lock(mutex_);
  return queued_;
}

std::size_t UnitFeed::units() const {
  std::lock_guard lock(mutex_);
  return express_.size() + ordinary_.size();
}

std::uint32_t UnitFeed::ordinary_units() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::uint32_t>(ordinary_.size());
}

std::optional<Task> UnitFeed::take(std::deque<Unit>& units, bool rotate) {
  if (units.empty()) return std::nullopt;
  Unit& unit = units.front();
  std::optional<Task> task(std::move(unit.tasks[unit.next++]));
  if (unit.next == unit.tasks.size()) {
    units.pop_front();  // its memory goes with it
  } else if (rotate && units.size() > 1) {
    units.push_back(std::move(unit));
    units.pop_front();
  }
  return task;
}

std::optional<Task> UnitFeed::next() {
  std::lock_guard lock(mutex_);
  if (paused_ || closed_) return std::nullopt;
  std::optional<Task> task = take(express_, false);  // the express units one after the other
  if (!task) task = take(ordinary_, true);
  if (task) --queued_;
  return task;
}

bool UnitFeed::finished() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace mxsentry
