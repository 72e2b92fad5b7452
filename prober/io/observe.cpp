#include "prober/io/observe.h"

#include <stdexcept>

#include <uv.h>

#include "prober/core/not_asked.h"
#include "prober/core/random_source.h"
#include "prober/io/task_feed.h"
#include "prober/io/uv_query_driver.h"

namespace mxsentry {

std::vector<Observation> observe(std::vector<Task> tasks, const EngineConfig& config, BatchProgress progress) {
  if (std::string problem = validate(config); !problem.empty()) throw std::runtime_error(problem);
  for (std::size_t i = 0; i < tasks.size(); ++i) tasks[i].index = i;
  std::vector<Observation> results(tasks.size());
  std::vector<bool> seen(tasks.size(), false);
  VectorFeed feed(tasks);
  SystemRandom random;
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::string error;
  {
    DriverOptions options;
    options.progress_interval_ms = progress ? 1000 : 0;
    UvQueryDriver driver(&loop, config, options, feed, random, [&](Observation&& o) {
      if (o.task_index < results.size()) {
        seen[o.task_index] = true;
        results[o.task_index] = std::move(o);
      }
    });
    std::vector<std::string> task_errors;
    driver.on_task_error([&](const Task& task, const std::string& why) {
      // A name the engine cannot send (it was checked before) still gets its observation.
      if (task.index < results.size()) {
        results[task.index] = send_failed(task, why);
        seen[task.index] = true;
      }
    });
    if (progress) driver.on_progress(progress);
    error = driver.start();
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  uv_loop_close(&loop);
  if (!error.empty()) throw std::runtime_error(error);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (seen[i]) continue;
    // The engine reports every task; this guards the contract rather than expecting a gap.
    Observation& o = results[i];
    o.resolver = tasks[i].resolver;
    o.qname = tasks[i].qname;
    o.qtype = tasks[i].qtype;
    o.task_index = i;
    o.outcome = Outcome::network_error;
    o.error = "no observation came back for this task";
  }
  return results;
}

}  // namespace mxsentry
