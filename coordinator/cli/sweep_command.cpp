#include "coordinator/cli/sweep_command.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "coordinator/check/check_targets.h"
#include "coordinator/cli/common_options.h"
#include "coordinator/control/control_client.h"
#include "coordinator/control/control_requests.h"
#include "coordinator/sweep/sweep_inputs.h"

namespace mxsentry {

namespace {

using nlohmann::json;

struct StartOptions {
  std::string control = "tcp://127.0.0.1:5571";
  std::string name = "on-demand";
  std::string definition;  ///< a sweep named in the coordinator's configuration
  std::string probers;     ///< k=v,... : only probers with these tags
  std::string targets_path, resolvers_path, types = "A,AAAA", assignment = "shard";
  double per_resolver_qps = 5;
  std::uint32_t timeout_ms = 2000, retries = 2;
  bool allow_private = false, wait = false;
  int wait_timeout_s = 3600;
};

int start(const StartOptions& o) {
  try {
    json request{{"cmd", "sweep-start"}};
    if (!o.definition.empty()) {
      request["definition"] = o.definition;  // the coordinator reads that sweep's files itself
    } else {
      request.update({{"name", o.name}, {"assignment", o.assignment}, {"per_resolver_qps", o.per_resolver_qps},
                      {"timeout_ms", o.timeout_ms}, {"retries", o.retries}, {"probers", o.probers}});
      add_resolvers(request, o.resolvers_path, o.allow_private);
      json questions = json::array();
      for (const auto& q : read_sweep_questions(o.targets_path, o.types)) questions.push_back(json::array({q.qname, q.qtype}));
      request["questions"] = questions;
    }
    json reply = control_request(o.control, request, 60'000);
    std::uint64_t id = reply.at("sweep").get<std::uint64_t>();
    std::cout << id << std::endl;  // alone on the first line, at once: scripts read it
    if (!o.wait) return 0;
    if (auto done = wait_for_sweep(o.control, id, std::int64_t{o.wait_timeout_s} * 1000)) {
      std::string state = done->at("state").get<std::string>();
      std::cout << "sweep " << id << " " << state << ": " << (*done)["results"] << " results of " << (*done)["tasks"]
                << " tasks" << std::endl;
      return state == "complete" ? 0 : state == "incomplete" ? 1 : 2;
    }
    std::cerr << "mxsentry sweep: gave up waiting for sweep " << id << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "mxsentry sweep: " << e.what() << "\n";
    return 2;
  }
}

int show(const std::string& control, std::uint64_t id) {
  try {
    std::cout << control_request(control, json{{"cmd", "sweep-show"}, {"sweep", id}})["sweep"].dump() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mxsentry sweep: " << e.what() << "\n";
    return 2;
  }
}

int status(const std::string& control, bool as_json) {
  try {
    json reply = control_request(control, json{{"cmd", "status"}});
    if (as_json) {
      std::cout << reply.dump() << "\n";
      return 0;
    }
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::cout << "probers:\n";
    for (const auto& p : reply["probers"])
      std::cout << "  " << p["name"].get<std::string>() << "  last heartbeat "
                << (now - p["last_heartbeat_ms"].get<std::int64_t>()) << " ms ago\n";
    std::cout << "sweeps:\n";
    for (const auto& s : reply["sweeps"]) {
      std::cout << "  " << s["id"] << "  " << s["name"].get<std::string>() << "  " << s["state"].get<std::string>()
                << "  units " << s["units_done"] << "/" << s["units"] << "  results " << s["results"] << "/"
                << s["tasks"];
      // Refusals are results too; say how many, so a sweep nobody asked does not pass for one.
      std::uint64_t not_asked = 0;
      std::string reasons;
      const json counts = s.value("not_asked", json::object());  // kept: items() refers to it
      for (const auto& [reason, n] : counts.items()) {
        not_asked += n.get<std::uint64_t>();
        reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(n.get<std::uint64_t>());
      }
      if (not_asked > 0) std::cout << "  not asked " << not_asked << " (" << reasons << ")";
      if (s.contains("judging_retry"))
        std::cout << "  verdicts waiting to be written (" << s["judging_retry"]["failures"] << " refused: "
                  << s["judging_retry"]["last_error"].get<std::string>() << ")";
      std::cout << "\n";
    }
    if (!reply["definitions"].empty()) std::cout << "defined sweeps:\n";
    for (const auto& d : reply["definitions"]) {
      std::cout << "  " << d["name"].get<std::string>() << "  " << d["assignment"].get<std::string>();
      if (d["interval_ms"].get<std::int64_t>() > 0) std::cout << "  every " << d["interval_ms"].get<std::int64_t>() / 1000 << " s";
      else std::cout << "  on request";
      if (!d["probers"].get<std::string>().empty()) std::cout << "  probers " << d["probers"].get<std::string>();
      std::cout << "\n";
    }
    std::cout << "results: " << reply["full_results"] << " in full, " << reply["compact_results"] << " compact, "
              << reply["results_bytes"] << " bytes; " << reply["late_results"] << " late, "
              << reply["dropped_messages"] << " messages dropped, " << reply.value("failed_messages", 0)
              << " failed\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mxsentry status: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

void add_sweep_commands(CLI::App& app, std::function<int()>& run) {
  auto o = std::make_shared<StartOptions>();
  CLI::App* sweep = app.add_subcommand("sweep", "Start or look at sweeps on a coordinator");
  sweep->require_subcommand(1);
  CLI::App* start_cmd = sweep->add_subcommand(
      "start", "Start a sweep: every resolver asked about every target (a sweep named in the coordinator's "
               "configuration, or one given by --targets and --resolvers)");
  CLI::Option* definition =
      start_cmd->add_option("definition", o->definition, "A sweep defined in the coordinator's configuration");
  add_control_option(*start_cmd, o->control);
  CLI::Option* targets = start_cmd->add_option("--targets", o->targets_path, "Names file (as for mxsentry probe --names)");
  CLI::Option* resolvers = add_resolvers_option(*start_cmd, o->resolvers_path, ResolverFile::catalog);
  targets->needs(resolvers);
  resolvers->needs(targets);
  // A named sweep brings everything from the coordinator's file: the options that describe a
  // sweep are refused with it rather than ignored.
  definition->excludes(targets);
  std::vector<CLI::Option*> ad_hoc_only{
      start_cmd->add_option("--probers", o->probers, "Only probers with these tags (k=v,...)"),
      start_cmd->add_option("--name", o->name, "A name for the sweep"),
      add_types_option(*start_cmd, o->types),
      start_cmd->add_option("--assignment", o->assignment, "all: every vantage asks everything; shard: split")
          ->check(CLI::IsMember({"all", "shard"}))
          ->capture_default_str(),
      add_per_resolver_qps_option(*start_cmd, o->per_resolver_qps),
      add_timeout_option(*start_cmd, o->timeout_ms),
      add_retries_option(*start_cmd, o->retries),
      add_allow_private_flag(*start_cmd, o->allow_private)};
  for (CLI::Option* option : ad_hoc_only) definition->excludes(option);
  start_cmd->add_flag("--wait", o->wait, "Print the id, then wait until the sweep is complete");
  start_cmd->callback([&run, o] {
    if (o->definition.empty() && o->targets_path.empty())
      throw CLI::ValidationError("sweep start", "give a sweep's name from the configuration, or --targets and --resolvers");
    run = [o] { return start(*o); };
  });

  auto control = std::make_shared<std::string>("tcp://127.0.0.1:5571");
  auto id = std::make_shared<std::uint64_t>(0);
  CLI::App* show_cmd = sweep->add_subcommand("show", "A sweep's state and progress (JSON)");
  add_control_option(*show_cmd, *control);
  show_cmd->add_option("id", *id, "Sweep id")->required()->check(sweep_id_check());
  show_cmd->callback([&run, control, id] { run = [control, id] { return show(*control, *id); }; });

  auto as_json = std::make_shared<bool>(false);
  auto status_control = std::make_shared<std::string>("tcp://127.0.0.1:5571");
  CLI::App* status_cmd = app.add_subcommand("status", "Probers with their last heartbeat, sweeps with progress");
  add_control_option(*status_cmd, *status_control);
  status_cmd->add_flag("--json", *as_json, "The coordinator's reply as JSON");
  status_cmd->callback([&run, status_control, as_json] { run = [=] { return status(*status_control, *as_json); }; });
}

}  // namespace mxsentry
