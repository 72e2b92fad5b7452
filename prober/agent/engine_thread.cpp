#include "prober/agent/engine_thread.h"

#include <uv.h>

#include "prober/core/not_asked.h"
#include "prober/core/random_source.h"
#include "prober/io/uv_query_driver.h"

namespace mxsentry {

std::string EngineThread::start(const EngineConfig& config, TaskFeed& feed) {
  if (thread_.joinable()) return "the engine runs already";
  std::promise<std::string> started;
  auto result = started.get_future();
  thread_ = std::thread([this, config, &feed, &started] { run(config, feed, &started); });
  std::string error = result.get();
  if (!error.empty()) thread_.join();
  return error;
}

void EngineThread::run(const EngineConfig& config, TaskFeed& feed, std::promise<std::string>* started) {
  SystemRandom random;
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    UvQueryDriver driver(&loop, config, DriverOptions{}, feed, random,
                         [this](Observation&& o) { hand_over(std::move(o)); });
    // A name the engine cannot send still gets its observation, so the unit completes.
    driver.on_task_error([this](const Task& task, const std::string& why) { hand_over(send_failed(task, why)); });
    driver.on_wake([this, &driver] {
      if (stopping_.load()) driver.abort();
    });
    std::string error = driver.start();
    if (error.empty()) {
      std::lock_guard lock(driver_mutex_);
      driver_ = &driver;
    }
    started->set_value(error);  // `started` is gone from here on
    if (error.empty() && stopping_.load()) driver.abort();  // stop() came before driver_ was set
    uv_run(&loop, UV_RUN_DEFAULT);
    std::lock_guard lock(driver_mutex_);
    driver_ = nullptr;
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // the handles' close callbacks
  uv_loop_close(&loop);
}

void EngineThread::wake() {
  std::lock_guard lock(driver_mutex_);
  if (driver_) driver_->wake();
}

void EngineThread::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true);
  wake();
  thread_.join();
}

void EngineThread::hand_over(Observation&& o) {
  std::lock_guard lock(handoff_mutex_);
  handoff_.push_back(std::move(o));
}

void EngineThread::take(std::vector<Observation>& out) {
  std::lock_guard lock(handoff_mutex_);
  for (auto& o : handoff_) out.push_back(std::move(o));
  handoff_.clear();
}

std::size_t EngineThread::waiting() const {
  std::lock_guard lock(handoff_mutex_);
  return handoff_.size();
}

}  // namespace mxsentry
