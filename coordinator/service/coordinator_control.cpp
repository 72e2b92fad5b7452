// The control API the CLI talks to (REQ/REP over the control ROUTER): status, sweeps started
// and shown, their verdicts, and on-demand checks, whose hosts are found on a worker thread.
#include <algorithm>
#include <chrono>
#include <ostream>

#include "coordinator/service/coordinator.h"
#include "coordinator/truth/dnssec_validator.h"
#include "coordinator/truth/trust_anchor.h"

namespace mxsentry::service {

namespace {

using nlohmann::json;

/// A control reply's verdict lines, in bytes: below the CLI's 64 MiB message limit. A bigger
/// sweep is read with `mxsentry results --db`.
constexpr std::size_t max_verdict_bytes_in_reply = 48u << 20;

/// A check whose hosts took longer than the CLI waits for its reply is not started.
constexpr std::int64_t check_reply_wait_ms = 110'000;

}  // namespace

json Coordinator::start_sweep(const json& request) {
  std::int64_t now = now_ms();
  if (request.contains("definition")) {
    std::string name = request.at("definition").get<std::string>();
    auto d = std::find_if(options_.sweeps.begin(), options_.sweeps.end(), [&](const auto& def) { return def.name == name; });
    if (d == options_.sweeps.end()) throw std::invalid_argument("no sweep named " + name + " in the configuration");
    std::uint64_t id = launch(launch_of_definition(*d), now).id;
    schedule_[name].last_started_ms = now;
    return json{{"ok", true}, {"sweep", id}};
  }
  SweepLaunch l = parse_sweep_start(request);
  // A defined sweep's schedule counts from its last run, found by name: not from an ad-hoc one.
  if (std::any_of(options_.sweeps.begin(), options_.sweeps.end(), [&](const auto& def) { return def.name == l.name; }))
    throw std::invalid_argument(l.name + " is a sweep of the configuration: start it by its name alone");
  return json{{"ok", true}, {"sweep", launch(l, now).id}};
}

// ---- on-demand checks ----

/// Returns the reply to send now, or nothing when the reply waits for the hosts to be found.
std::optional<json> Coordinator::begin_check(const std::string& routing_id, const json& request) {
  CheckRequest check = parse_check_request(request);
  if (lifecycle_.ledger().probers().empty()) return json{{"ok", false}, {"error", "no prober is connected"}};
  TruthOptions truth = truth_options();
  std::vector<std::string> domains = check.domains;
  std::vector<std::uint16_t> types = check.host_types;
  auto targets = std::async(std::launch::async, [truth, domains, types] {
    dnssec::Validator validator;
    load_trust_anchor(validator, truth.trust_anchor);
    return find_mail_targets(domains, types, truth, validator);
  });
  pending_checks_.push_back(PendingCheck{now_ms(), routing_id, std::move(check), std::move(targets)});
  return std::nullopt;
}

/// The check's hosts are known: the sweep goes to every connected prober, before any other work.
json Coordinator::launch_check(PendingCheck& pending, std::int64_t now) {
  try {
    if (now - pending.asked_ms > check_reply_wait_ms) {  // nobody waits for it any more
      log_ << "mxsentry-coordinator: a check's hosts took " << (now - pending.asked_ms) / 1000
           << " s to find; its CLI has given up, so it is not started" << std::endl;
      return json{{"ok", false}, {"error", "finding the hosts took too long"}};
    }
    MailTargets targets = pending.targets.get();
    json domains = json::array();
    std::string names;
    for (const auto& d : targets.domains) {
      domains.push_back({{"domain", d.domain}, {"mx_hosts", d.mx_hosts}, {"ns_hosts", d.ns_hosts}, {"error", d.error}});
      names += (names.empty() ? "" : ",") + d.domain;
    }
    if (targets.questions.empty()) return json{{"ok", false}, {"error", "no MX or NS answer for " + names}};
    SweepLaunch launch;
    launch.name = "check " + names;
    launch.assignment = Assignment::all;
    launch.resolvers = pending.request.resolvers;
    launch.resolver_asns = pending.request.resolver_asns;
    launch.questions = targets.questions;
    launch.settings = pending.request.settings;
    launch.wait_ms = pending.request.wait_ms;
    launch.truths = std::move(targets.truths);
    Launched launched = this->launch(launch, now);
    return json{{"ok", true}, {"sweep", launched.id}, {"domains", domains}, {"questions", targets.questions.size()},
                {"vantages", launched.vantages}};
  } catch (const std::exception& e) {
    return json{{"ok", false}, {"error", e.what()}};
  }
}

void Coordinator::answer_checks(std::int64_t now) {
  for (auto it = pending_checks_.begin(); it != pending_checks_.end();) {
    if (it->targets.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      ++it;
      continue;
    }
    send_message(control_, {it->routing_id, "", reply_text(launch_check(*it, now))});
    it = pending_checks_.erase(it);
  }
}

// ---- control ----

json Coordinator::status() {
  json probers = json::array();
  const WorkLedger& ledger = lifecycle_.ledger();
  for (const auto& name : ledger.probers()) {
    auto p = probers_.find(name);
    json tags = json::object();
    if (p != probers_.end())
      for (const auto& [k, v] : p->second.hello.tags) tags[k] = v;
    probers.push_back({{"name", name},
                       {"last_heartbeat_ms", ledger.last_seen(name).value_or(0)},
                       {"units", ledger.holding(name)},  // held now
                       {"software", p == probers_.end() ? "" : p->second.hello.software},
                       {"tags", tags},
                       {"local_resolvers", p == probers_.end() ? 0 : p->second.hello.resolvers.size()}});
  }
  json sweeps = json::array();
  for (const auto& s : store_.sweeps()) sweeps.push_back(sweep_json(s));
  json definitions = json::array();
  for (const auto& d : options_.sweeps) {
    json entry{{"name", d.name}, {"interval_ms", d.interval_ms}, {"assignment", d.assignment},
               {"probers", d.probers.to_string()}};
    if (auto last = schedule_[d.name].last_started_ms) entry["last_started_ms"] = *last;
    definitions.push_back(entry);
  }
  std::uint64_t dropped = 0;
  for (const auto& [peer, n] : dropped_) dropped += n;
  WriterStats w = writer_->stats();
  json writer{{"queued_results", w.queued_results}, {"written_results", w.written_results},
              {"transactions", w.transactions}, {"failures", w.failures}, {"backlog", w.backlog}};
  if (!w.last_error.empty()) writer["last_error"] = w.last_error;
  return json{{"ok", true},
              {"probers", probers},
              {"sweeps", sweeps},
              {"definitions", definitions},
              {"dropped_messages", dropped},         // malformed, oversized, unknown: logged and dropped
              {"failed_messages", failed_messages_},  // handling threw: logged, the service goes on
              {"late_results", late_or_unknown_},   // from a prober that no longer held the unit
              {"full_results", full_results_},      // observations received in full
              {"compact_results", compact_results_},  // rebuilt from the truth's answer sets
              {"results_bytes", results_bytes_},      // RESULTS bodies received
              {"express_units", express_units_},      // check units sent beyond a prober's credit
              {"refused_units", refused_units_},      // units a prober had no room for
              {"writer", writer}};                    // results on their way to the database
}

json Coordinator::sweep_json(const StoredSweep& s) {
  std::string state = s.state;
  const SweepState* r = lifecycle_.sweep(s.id);
  if (r != nullptr && r->judging) state = "judging";
  else if (r != nullptr && r->reasking) state = "re-asking";
  json out{{"id", s.id},         {"name", s.name},
           {"assignment", s.assignment}, {"state", state},
           {"units", s.units},   {"units_done", s.units_done},
           {"tasks", s.tasks},   {"results", s.results},   {"reasked", s.reasked},
           {"not_asked", s.not_asked},  // results refused on purpose, by reason (also in results)
           {"created_ms", s.created_ms}, {"deadline_ms", s.settings.deadline_ms},
           {"priority", s.settings.priority}, {"probers", s.settings.probers}};
  // A judging the database refused (a full disk): waiting to be tried again.
  auto t = threads_.find(s.id);
  if (t != threads_.end() && t->second.judging_retry.waiting())
    out["judging_retry"] = json{{"failures", t->second.judging_retry.failures},
                                {"next_ms", t->second.judging_retry.next_ms},
                                {"running", t->second.judging.has_value()},
                                {"last_error", t->second.judging_error}};
  return out;
}

json Coordinator::sweep_verdicts(std::uint64_t id) {
  auto s = store_.sweep(id);
  if (!s) return json{{"ok", false}, {"error", "no such sweep"}};
  std::vector<std::string> lines = store_.verdict_lines(id);
  std::size_t bytes = 0;
  for (const auto& line : lines) bytes += line.size();
  if (bytes > max_verdict_bytes_in_reply)
    return json{{"ok", false}, {"error", std::to_string(lines.size()) + " verdicts: too many for a reply, read them "
                                         "with mxsentry results --db"}};
  json verdicts = json::array();
  for (const auto& line : lines) verdicts.push_back(json::parse(line));
  return json{{"ok", true}, {"sweep", sweep_json(*s)}, {"verdicts", verdicts}};
}

void Coordinator::on_control(const Received& m) {
  // REQ peers: [routing id, empty delimiter, request]
  if (m.too_many_parts || m.parts.size() != 3 || !m.parts[1].empty()) return drop("control peer", "not a REQ message");
  std::optional<json> reply;
  // The catch boundary of one control request: its error is the reply.
  try {
    json request = json::parse(m.parts[2]);
    std::string command = request.at("cmd").get<std::string>();
    if (command == "status") {
      reply = status();
    } else if (command == "sweep-start") {
      reply = start_sweep(request);
    } else if (command == "sweep-show") {
      auto s = store_.sweep(request.at("sweep").get<std::uint64_t>());
      reply = s ? json{{"ok", true}, {"sweep", sweep_json(*s)}} : json{{"ok", false}, {"error", "no such sweep"}};
    } else if (command == "sweep-verdicts") {
      reply = sweep_verdicts(request.at("sweep").get<std::uint64_t>());
    } else if (command == "check") {
      reply = begin_check(m.parts[0], request);
    } else {
      reply = json{{"ok", false}, {"error", "unknown command " + command}};
    }
  } catch (const std::exception& e) {
    reply = json{{"ok", false}, {"error", e.what()}};
  }
  if (reply) send_message(control_, {m.parts[0], "", reply_text(*reply)});
}

}  // namespace mxsentry::service
