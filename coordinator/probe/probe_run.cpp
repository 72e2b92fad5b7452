#include "coordinator/probe/probe_run.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <uv.h>

#include "prober/core/random_source.h"
#include "prober/io/uv_query_driver.h"
#include "results/observation_json.h"
#include "results/observation_table.h"
#include "targets/name_list.h"
#include "targets/prefix_list.h"
#include "targets/resolver_list.h"

namespace mxsentry {

namespace {

std::string summary_line(const EngineStats& s, double seconds) {
  std::ostringstream line;
  line << std::fixed << std::setprecision(1);
  line << "probe: " << s.completed() << " queries: " << s.answered << " answered, " << s.timeouts << " timeouts, "
       << s.malformed << " malformed, " << s.network_errors << " network errors; " << s.packets_sent
       << " packets sent (" << s.retransmits << " retransmitted, " << s.tcp_fallbacks << " over TCP); "
       << s.unsolicited << " unsolicited dropped; " << s.extra_responses << " extra responses; "
       << (seconds > 0 ? static_cast<double>(s.completed()) / seconds : 0.0) << " queries/s over " << seconds << " s";
  return line.str();
}

// SIGINT and SIGTERM share one count: the first of either stops the intake, the second stops now.
struct SignalStops {
  uv_signal_t handles[2]{};
  UvQueryDriver* driver = nullptr;
  int received = 0;
  int first_signal = 0;
  std::size_t not_asked = 0;  ///< queued tasks forgotten by the first signal
};

/// The input (--names, --resolvers, --opt-out) that --out names, if any: the writer would
/// truncate it before it is read.
std::optional<std::string> input_named_by_out(const ProbeOptions& o) {
  if (o.out_path == "-") return std::nullopt;
  std::vector<std::pair<std::string, std::string>> inputs = {{o.names_path, "--names"},
                                                             {o.resolvers_path, "--resolvers"}};
  for (const auto& path : o.opt_out_paths) inputs.emplace_back(path, "--opt-out");
  for (const auto& [path, flag] : inputs) {
    std::error_code ec;
    if (path != "-" && std::filesystem::equivalent(o.out_path, path, ec)) return flag;
  }
  return std::nullopt;
}

}  // namespace

int run_probe(const ProbeOptions& options, std::ostream& err) {
  ResolverList resolvers;
  std::vector<std::uint16_t> types;
  std::unique_ptr<NameFileReader> names;
  try {
    resolvers = load_resolver_list(options.resolvers_path, ResolverListOptions{options.allow_private});
    if (resolvers.resolvers.empty()) throw ListError(options.resolvers_path + ": no resolvers in the list");
    // The opt-out lists are honoured before anything else: a listed resolver is never asked.
    OptOut opt_out = OptOut::load(options.opt_out_paths);
    std::size_t opted_out = std::erase_if(resolvers.resolvers, [&](const Endpoint& r) { return opt_out.covers(r); });
    if (opted_out > 0) err << "mxsentry probe: " << opted_out << " resolvers skipped: they opted out\n";
    if (resolvers.resolvers.empty()) throw ListError("no resolvers left to ask after the opt-out lists");
    types = parse_type_list(options.types);
    if (auto input = input_named_by_out(options))
      throw ListError("--out " + options.out_path + " is the " + *input + " file; it would be truncated");
    // Every line is checked before the first query, also when the list comes through a pipe.
    names = open_checked_name_list(options.names_path);
  } catch (const ListError& e) {
    err << "mxsentry probe: " << e.what() << "\n";
    return 2;
  }
  if (resolvers.duplicates > 0)
    err << "mxsentry probe: " << resolvers.duplicates << " duplicate resolver lines ignored\n";

  EngineConfig config;
  config.max_in_flight = options.concurrency;
  config.global_qps = options.qps;
  config.per_resolver_qps = options.per_resolver_qps;
  config.timeout_ms = options.timeout_ms;
  config.retries = options.retries;
  config.linger_ms = options.linger_ms;
  config.udp_sockets = options.udp_sockets;
  if (std::string problem = validate(config); !problem.empty()) {
    err << "mxsentry probe: " << problem << "\n";
    return 2;
  }

  try {
    ProbePlan plan(std::move(resolvers.resolvers), *names, types, options.mode);
    std::unique_ptr<ObservationWriter> writer;
    JsonlWriter* jsonl = nullptr;
    if (options.format == "table") {
      writer = std::make_unique<TableWriter>(options.out_path);
    } else {
      auto w = std::make_unique<JsonlWriter>(options.out_path);
      jsonl = w.get();
      writer = std::move(w);
    }
    SystemRandom random;
    uv_loop_t loop;
    uv_loop_init(&loop);
    DriverOptions driver_options;
    driver_options.progress_interval_ms = options.progress ? 1000 : 0;
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&started] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    UvQueryDriver driver(&loop, config, driver_options, plan, random,
                         [&writer](Observation&& o) { writer->write(o); });
    // JSON lines are rendered by the engine when each answer arrives (see observation_renderer.h).
    if (jsonl) driver.set_renderer(jsonl);
    std::size_t task_errors = 0;
    driver.on_task_error([&](const Task& task, const std::string& why) {
      if (task_errors++ < 10) err << "mxsentry probe: skipped " << task.qname << ": " << why << "\n";
    });
    if (options.progress) {
      driver.on_progress([&](const QueryEngine& engine) {
        const EngineStats& s = engine.stats();
        double t = elapsed();
        std::fprintf(stderr, "\r%llu done, %zu in flight, %llu answered, %llu timeouts, %.0f q/s   ",
                     static_cast<unsigned long long>(s.completed()), engine.in_flight(),
                     static_cast<unsigned long long>(s.answered), static_cast<unsigned long long>(s.timeouts),
                     t > 0 ? static_cast<double>(s.completed()) / t : 0.0);
      });
    }
    if (std::string error = driver.start(); !error.empty()) {
      err << "mxsentry probe: " << error << "\n";
      uv_run(&loop, UV_RUN_DEFAULT);
      uv_loop_close(&loop);
      return 2;
    }
    // Ctrl-C once: take no more tasks, forget those waiting on the rate limits, let those in
    // flight finish. Twice (or SIGTERM then SIGINT): stop now.
    SignalStops stops;
    stops.driver = &driver;
    int signals[2] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; ++i) {
      uv_signal_t& handle = stops.handles[i];
      handle.data = &stops;
      uv_signal_init(&loop, &handle);
      uv_signal_start(&handle, [](uv_signal_t* h, int signum) {
        auto* stop = static_cast<SignalStops*>(h->data);
        if (stop->received++ == 0) {
          stop->first_signal = signum;
          stop->not_asked = stop->driver->stop_intake();
        } else {
          stop->driver->abort();
        }
      }, signals[i]);
      uv_unref(reinterpret_cast<uv_handle_t*>(&handle));  // do not keep the loop alive
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    for (auto& handle : stops.handles) uv_close(reinterpret_cast<uv_handle_t*>(&handle), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    if (options.progress) std::fputs("\n", stderr);
    writer->close();
    err << summary_line(driver.engine().stats(), elapsed()) << "\n";
    if (plan.duplicates() > 0)
      err << "mxsentry probe: " << plan.duplicates() << " repeated (name, type) pairs were asked once\n";
    if (uv_loop_close(&loop) != 0) err << "mxsentry probe: event loop still had open handles\n";
    if (!plan.error().empty()) {
      err << "mxsentry probe: stopped early: " << plan.error() << "\n";
      return 2;
    }
    if (stops.received > 0) {
      // Like a shell: 128 + the signal, so a script sees the run was cut short.
      err << "mxsentry probe: interrupted by " << (stops.first_signal == SIGTERM ? "SIGTERM" : "SIGINT")
          << (stops.received > 1 ? ", then stopped at once" : "") << ": " << stops.not_asked
          << " queued queries and the rest of the names not asked\n";
      return 128 + stops.first_signal;
    }
    return 0;
  } catch (const std::exception& e) {
    err << "mxsentry probe: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace mxsentry
