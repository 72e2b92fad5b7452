#include "coordinator/cli/remote_check.h"

#include <chrono>
#include <map>
#include <ostream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/control/control_client.h"
#include "coordinator/control/control_requests.h"
#include "coordinator/sweep/sweep_inputs.h"
#include "targets/domain_list.h"

namespace mxsentry {

namespace {

using nlohmann::json;

void write_human_report(std::ostream& out, const json& started, const std::vector<Verdict>& verdicts) {
  for (const auto& d : started.at("domains")) {
    out << d.at("domain").get<std::string>() << "  MX: " << d.at("mx_hosts").size()
        << " hosts, NS: " << d.at("ns_hosts").size() << " hosts\n";
    if (!d.at("error").get<std::string>().empty())
      out << "  no authoritative answer: " << d.at("error").get<std::string>() << "\n";
  }
  std::map<std::string, std::vector<const Verdict*>> by_vantage;
  for (const auto& v : verdicts) by_vantage[v.vantage].push_back(&v);
  out << "\n";
  for (const auto& name : started.at("vantages")) {
    const auto& mine = by_vantage[name.get<std::string>()];
    out << "vantage " << name.get<std::string>() << ": " << mine.size() << " verdicts";
    if (!mine.empty()) out << ", " << format_counts(count_verdicts(mine));
    out << "\n";
  }
  std::string table = format_verdict_table(verdicts);
  if (!table.empty()) out << "\n" << table;
}

}  // namespace

int run_remote_check(const RemoteCheckOptions& o, std::ostream& out, std::ostream& err) {
  auto say = [&](const std::string& line) {
    if (o.progress) err << "mxsentry check: " << line << std::endl;
  };
  try {
    json request{{"cmd", "check"},          {"types", o.types},
                 {"per_resolver_qps", o.per_resolver_qps}, {"timeout_ms", o.timeout_ms},
                 {"retries", o.retries},    {"wait_ms", o.wait_ms}};
    json domains = json::array();
    for (const auto& d : o.domains) {
      std::string why;
      if (!parse_domain(d, &why)) throw std::invalid_argument(why);
      domains.push_back(d);
    }
    request["domains"] = domains;
    if (!o.resolvers_path.empty()) add_resolvers(request, o.resolvers_path, o.allow_private);
    // A coordinator that is not there is told within status's 5 s, not after the 120 s a
    // check's first reply may take.
    control_request(o.control, json{{"cmd", "status"}});
    say("asking the coordinator at " + o.control + " to check " + std::to_string(o.domains.size()) + " domains");
    // The reply comes once the coordinator has found the hosts from the root down.
    json started = control_request(o.control, request, 120'000);
    std::uint64_t id = started.at("sweep").get<std::uint64_t>();
    say("sweep " + std::to_string(id) + ": " + std::to_string(started.at("questions").get<std::size_t>()) +
        " questions to " + std::to_string(started.at("vantages").size()) + " vantages");

    // The probers get wait_ms; judging and re-asking flagged answers come on top.
    auto ended = wait_for_sweep(o.control, id, o.wait_ms + 300'000);
    if (!ended) throw std::runtime_error("sweep " + std::to_string(id) + " did not end");
    json finished = *ended;
    std::string state = finished.at("state").get<std::string>();
    if (state == "failed") throw std::runtime_error("sweep " + std::to_string(id) + " could not be judged (see the coordinator's log)");

    json reply = control_request(o.control, json{{"cmd", "sweep-verdicts"}, {"sweep", id}}, 60'000);
    std::vector<Verdict> verdicts;
    for (const auto& line : reply.at("verdicts")) verdicts.push_back(parse_verdict_json(line.dump()));
    if (o.json) {
      std::string text;
      for (const auto& v : verdicts) append_verdict_json(text, v);
      out << text << std::flush;
    } else {
      write_human_report(out, started, verdicts);
      out << std::flush;
    }
    if (state == "incomplete")
      err << "mxsentry check: sweep " << id << " is incomplete: " << finished.at("results") << " of "
          << finished.at("tasks") << " queries answered before the deadline\n";
    int status = check_exit_status(verdicts);
    if (status == 3)
      err << "mxsentry check: nothing was checked: no answer could be compared with the truth (every verdict is "
             "unknown, unreachable or not-asked)\n";
    // An incomplete sweep is a warning (1) when its verdicts say nothing worse.
    return status == 0 && state == "incomplete" ? 1 : status;
  } catch (const std::exception& e) {
    err << "mxsentry check: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace mxsentry
