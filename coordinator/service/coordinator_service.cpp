#include "coordinator/service/coordinator_service.h"

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "coordinator/analysis/analysis_config.h"
#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/check/mail_targets.h"
#include "protocol/curve_keys.h"
#include "protocol/zap_policy.h"
#include "coordinator/control/control_requests.h"
#include "coordinator/service/sweep_judging.h"
#include "coordinator/service/sweep_truth.h"
#include "protocol/zmq_io.h"
#include "coordinator/sweep/prober_selector.h"
#include "coordinator/sweep/sweep_plan.h"
#include "coordinator/sweep/sweep_schedule.h"
#include "coordinator/sweep/sweep_store.h"
#include "prober/core/not_asked.h"
#include "targets/ioc_list.h"
#include "targets/opt_out.h"

namespace mxsentry {

namespace {

using nlohmann::json;

constexpr const char* zap_domain = "mxsentry";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// How long a unit may take at its sweep's rate: every resolver's share of the unit at the
/// per-resolver rate, plus every try's timeout, twice over. A live prober must not lose a
/// unit only because the sweep is gentle.
std::int64_t unit_lease_ms(const std::vector<protocol::WorkTask>& tasks, const SweepSettings& settings,
                           std::int64_t configured) {
  std::map<std::string, std::size_t> per_resolver;
  std::size_t most = 0;
  for (const auto& t : tasks) most = std::max(most, ++per_resolver[t.resolver]);
  double seconds = static_cast<double>(most) / std::max(settings.per_resolver_qps, 0.001) +
                   static_cast<double>(settings.timeout_ms) * (settings.retries + 1) / 1000.0;
  return std::max(configured, static_cast<std::int64_t>(seconds * 2000.0));
}

struct SweepRuntime {
  StoredSweep info;
  ProberSelector probers;  ///< which probers may run its units
  std::set<std::uint64_t> open_units;
  bool deadline_passed = false;  ///< its bound units were given up: it ends incomplete
  // Re-asking (as a local check does): after the first judging, each flagged answer is asked
  // again by the vantage that saw it, not before `reask_not_before_ms`; what has not come by
  // `reask_deadline_ms` is judged without it.
  bool reasking = false;
  std::int64_t reask_not_before_ms = 0, reask_deadline_ms = 0;
  std::shared_ptr<SweepTruth> truth;  ///< from the first judging, reused by the second
  std::optional<std::future<JudgedSweep>> judging;  ///< truth and verdicts, on a worker thread
  std::string final_state;
  // Compact results: the truth's answer sets, found at launch on a worker thread. Units sent
  // before they are known carry none, and their observations come back in full.
  AnswerSets answer_sets;
  std::map<Question, std::vector<std::uint64_t>> digests;
  std::optional<std::future<AnswerSets>> truth_lookup;
};

struct UnitRuntime {
  std::uint64_t sweep = 0;
  std::vector<protocol::WorkTask> tasks;
  bool bound = false;  ///< only its owner may run it (`all` mode, a prober's local resolvers)
  std::vector<std::optional<Endpoint>> resolvers;  ///< each task's resolver, parsed once (results check against it)

  UnitRuntime() = default;
  UnitRuntime(std::uint64_t sweep_id, std::vector<protocol::WorkTask> unit_tasks, bool bound_to_owner)
      : sweep(sweep_id), tasks(std::move(unit_tasks)), bound(bound_to_owner) {
    resolvers.reserve(tasks.size());
    for (const auto& t : tasks) resolvers.push_back(Endpoint::parse(t.resolver));
  }
};

/// An on-demand check whose MX and NS hosts are being found (on a worker thread); the CLI
/// that asked waits for the reply, which names the sweep once it is planned.
struct PendingCheck {
  std::int64_t asked_ms = 0;
  std::string routing_id;
  CheckRequest request;
  std::future<MailTargets> targets;
};

/// A sweep definition's runs: when the last one started, when starting one last failed.
struct ScheduleState {
  std::optional<std::int64_t> last_started_ms;
  std::int64_t last_attempt_ms = 0;
};

/// A control reply's verdict lines, in bytes: below the CLI's 64 MiB message limit. A bigger
/// sweep is read with `mxsentry results --db`.
constexpr std::size_t max_verdict_bytes_in_reply = 48u << 20;

/// Local resolvers taken from one HELLO: an ISP vantage has a handful.
constexpr std::size_t max_local_resolvers = 256;

/// A check whose hosts took longer than the CLI waits for its reply is not started.
constexpr std::int64_t check_reply_wait_ms = 110'000;

/// JSON text for the CLI. Strings from probers (names, tags, software) are not checked for
/// UTF-8 on the wire, and must not make the reply (or the coordinator) fail: bad bytes are
/// replaced.
std::string reply_text(const nlohmann::json& reply) {
  return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct ProberState {
  std::string routing_id;
  protocol::Hello hello;
  std::uint64_t dropped = 0;  ///< messages refused from this peer
};

class Coordinator {
 public:
  Coordinator(const CoordinatorOptions& options, std::ostream& log)
      : options_(options), log_(log), store_(options.db_path), ledger_(options.ledger),
        probers_socket_(context_, zmq::socket_type::router), control_(context_, zmq::socket_type::router),
        zap_(context_, zmq::socket_type::rep) {}

  void setup() {
    if (options_.unit_size == 0 || options_.unit_size > options_.limits.max_list)
      throw std::runtime_error("unit size must be 1 to " + std::to_string(options_.limits.max_list) +
                               " (tasks in one WORK message)");
    if (!options_.thresholds_path.empty()) config_ = load_analysis_config(options_.thresholds_path);
    if (!options_.asn_db_path.empty()) asn_db_ = load_asn_database(options_.asn_db_path);
    if (!options_.ioc_path.empty()) ioc_ = std::make_unique<PrefixList>(load_ioc_list(options_.ioc_path));
    opt_out_ = OptOut::load(options_.opt_out_paths);
    for (auto* s : {&probers_socket_, &control_}) {
      s->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(options_.limits.max_body_bytes));
      s->set(zmq::sockopt::linger, 0);
      s->set(zmq::sockopt::router_mandatory, 1);
    }
    if (!options_.insecure) {
      if (options_.key_path.empty() || options_.allow_dir.empty())
        throw std::runtime_error("CURVE needs --key and --allow (or --insecure for plain TCP)");
      allowlist_ = Allowlist::load(options_.allow_dir);
      zap_.bind("inproc://zeromq.zap.01");  // before any CURVE socket binds
      make_curve_server(probers_socket_, read_curve_key(options_.key_path), zap_domain);
      log_ << "mxsentry-coordinator: CURVE on, " << allowlist_.size() << " prober keys allowed\n";
    } else {
      log_ << "mxsentry-coordinator: --insecure: probers connect over plain TCP without authentication\n";
    }
    probers_socket_.bind(options_.listen);
    control_.bind(options_.control);
    restore();
    started_ms_ = now_ms();
    for (const auto& d : options_.sweeps) schedule_[d.name].last_started_ms = store_.last_started_ms(d.name);
    log_ << "mxsentry-coordinator: probers on " << options_.listen << ", control on " << options_.control
         << ", database " << options_.db_path << std::endl;
  }

  void loop(std::atomic<bool>& stop) {
    std::vector<zmq::pollitem_t> items{{probers_socket_.handle(), 0, ZMQ_POLLIN, 0},
                                       {control_.handle(), 0, ZMQ_POLLIN, 0},
                                       {zap_.handle(), 0, ZMQ_POLLIN, 0}};
    std::size_t polled = options_.insecure ? 2 : 3;
    while (!stop.load()) {
      poll_interruptible(items.data(), polled, std::chrono::milliseconds(100));
      // Fair to every peer: a bounded number of messages per socket per turn.
      for (int i = 0; i < 1000; ++i) {
        auto m = receive_message(probers_socket_, 4);
        if (!m) break;
        on_prober_message(*m);
      }
      for (int i = 0; i < 100; ++i) {
        auto m = receive_message(control_, 4);
        if (!m) break;
        on_control(*m);
      }
      if (!options_.insecure)
        while (auto m = receive_message(zap_, 16)) send_message(zap_, zap_reply(m->parts, allowlist_, zap_domain));
      tick(now_ms());
    }
    for (const auto& [name, p] : probers_) send_to(name, protocol::Bye{});
  }

 private:
  // ---- probers ----

  void drop(const std::string& who, const std::string& why) {
    std::uint64_t n = ++dropped_[who];
    if (n <= 10 || n % 1000 == 0) log_ << "mxsentry-coordinator: dropped from " << who << " (#" << n << "): " << why << "\n";
  }

  void send_to(const std::string& name, const protocol::Message& message) {
    auto it = probers_.find(name);
    if (it == probers_.end()) return;
    protocol::Frames f = protocol::encode(message);
    send_message(probers_socket_, {it->second.routing_id, f.type, f.body});
  }

  void on_prober_message(const Received& m) {
    std::string peer = m.user_id.empty() ? "unauthenticated peer" : m.user_id;
    if (m.too_many_parts || m.parts.size() != 3) return drop(peer, "not [type, body]");
    const std::string& routing_id = m.parts[0];
    protocol::Message message;
    try {
      message = protocol::decode(m.parts[1], m.parts[2], options_.limits);
      if (std::holds_alternative<protocol::Results>(message)) results_bytes_ += m.parts[2].size();
    } catch (const protocol::ProtocolError& e) {
      return drop(peer, e.what());
    }
    std::int64_t now = now_ms();
    // The prober's identity is its authenticated key; only --insecure takes the name it gives.
    std::string name = m.user_id;
    if (name.empty() && !options_.insecure) return drop(peer, "no authenticated identity");
    if (name.empty()) {
      if (auto* hello = std::get_if<protocol::Hello>(&message)) name = "insecure:" + hello->id;
      else if (auto known = insecure_names_.find(routing_id); known != insecure_names_.end()) name = known->second;
      else return drop(peer, "message before HELLO");
      insecure_names_[routing_id] = name;
    }
    // A prober this coordinator does not know (restarted, or declared dead) must introduce
    // itself again: its credit and units were forgotten, and it cannot know that.
    bool known = ledger_.alive(name) && probers_.count(name) > 0;
    ProberState& prober = probers_[name];
    prober.routing_id = routing_id;
    ledger_.seen(name, now);
    if (!known && !std::holds_alternative<protocol::Hello>(message)) send_to(name, protocol::Error{"hello", "say HELLO again"});
    std::visit([&](auto& msg) { handle(name, prober, msg, now); }, message);
  }

  void handle(const std::string& name, ProberState& prober, protocol::Hello& hello, std::int64_t now) {
    if (hello.resolvers.size() > max_local_resolvers) {
      log_ << "mxsentry-coordinator: prober " << name << " declares " << hello.resolvers.size()
           << " local resolvers; the first " << max_local_resolvers << " are used" << std::endl;
      hello.resolvers.resize(max_local_resolvers);
    }
    ledger_.hello(name, std::max<std::uint32_t>(1, std::min<std::uint32_t>(hello.capacity, 64)), now);
    log_ << "mxsentry-coordinator: prober " << name << " (" << hello.software << ", capacity " << hello.capacity
         << ", " << hello.resolvers.size() << " local resolvers) connected" << std::endl;
    prober.hello = std::move(hello);
  }
  void handle(const std::string& name, ProberState&, protocol::Ready& ready, std::int64_t now) {
    ledger_.add_credit(name, std::min<std::uint32_t>(ready.credit, 64), now);
    dispatch(name, now);
  }
  void handle(const std::string&, ProberState&, protocol::Work&, std::int64_t) {}
  void handle(const std::string& name, ProberState&, protocol::Results& results, std::int64_t now) {
    // Observations that did not decode were dropped one by one; their tasks are asked again.
    if (results.rejected > 0) drop(name, "RESULTS: " + std::to_string(results.rejected) + " results did not decode");
    auto unit = units_.find(results.unit);
    std::vector<StoredResult> fresh;
    for (auto& o : results.observations) {
      if (unit == units_.end() || o.task_index >= unit->second.tasks.size()) {
        ++late_or_unknown_;
        continue;
      }
      const protocol::WorkTask& task = unit->second.tasks[o.task_index];
      const auto& resolver = unit->second.resolvers[o.task_index];
      if (canonical_name(o.qname) != task.qname || o.qtype != task.qtype || !resolver || !(o.resolver == *resolver)) {
        drop(name, "RESULTS: observation does not answer its task");
        continue;
      }
      accept(name, results.unit, std::move(o), now, fresh);
      ++full_results_;
    }
    for (auto& m : results.matched) {
      if (unit == units_.end() || m.task_index >= unit->second.tasks.size()) {
        ++late_or_unknown_;
        continue;
      }
      auto rebuilt = rebuild(unit->second, m);
      if (!rebuilt) {
        drop(name, "RESULTS: a compact result that matches no answer set of its task");
        continue;
      }
      accept(name, results.unit, std::move(*rebuilt), now, fresh);
      ++compact_results_;
    }
    if (!fresh.empty()) store_.add_results(fresh);
  }

  void accept(const std::string& name, std::uint64_t unit, Observation o, std::int64_t now, std::vector<StoredResult>& fresh) {
    auto task = static_cast<std::uint32_t>(o.task_index);
    if (ledger_.record_result(name, unit, task, now) != ResultFate::counted) {
      ++late_or_unknown_;
      return;
    }
    fresh.push_back(StoredResult{unit, task, name, std::move(o)});
  }

  /// A compact result in full again, from the answer set it names; nothing when it names none.
  std::optional<Observation> rebuild(const UnitRuntime& unit, const protocol::MatchedResult& m) {
    auto sweep = sweeps_.find(unit.sweep);
    if (sweep == sweeps_.end()) return std::nullopt;
    const protocol::WorkTask& task = unit.tasks[m.task_index];
    auto sets = sweep->second.answer_sets.find(Question{task.qname, task.qtype});
    const auto& resolver = unit.resolvers[m.task_index];
    if (sets == sweep->second.answer_sets.end() || m.answer_set >= sets->second.size() || !resolver) return std::nullopt;
    try {
      return protocol::rebuild_observation(m, task, *resolver, sets->second[m.answer_set], sweep->second.info.settings.digest_key);
    } catch (const std::invalid_argument&) {
      return std::nullopt;
    }
  }

  void handle(const std::string& name, ProberState&, protocol::Done& done, std::int64_t now) {
    if (!ledger_.finish(name, done.unit, now)) return;
    auto unit = units_.find(done.unit);
    if (unit == units_.end()) return;
    store_.mark_unit_done(done.unit);
    std::uint64_t sweep = unit->second.sweep;
    units_.erase(unit);
    auto s = sweeps_.find(sweep);
    if (s == sweeps_.end()) return;
    s->second.open_units.erase(done.unit);
    if (s->second.open_units.empty()) begin_judging(s->second, s->second.deadline_passed ? "incomplete" : "complete");
  }
  void handle(const std::string&, ProberState&, protocol::Heartbeat&, std::int64_t) {}  // seen() is enough
  void handle(const std::string& name, ProberState&, protocol::Bye&, std::int64_t) {
    log_ << "mxsentry-coordinator: prober " << name << " said goodbye" << std::endl;
    ledger_.release(name);
    probers_.erase(name);
  }
  void handle(const std::string& name, ProberState&, protocol::Error& e, std::int64_t) {
    if (e.code == "capacity") ++refused_units_;  // the unit waits out its lease, then goes again
    log_ << "mxsentry-coordinator: prober " << name << " reports " << e.code << ": " << e.message << "\n";
  }

  void dispatch(const std::string& name, std::int64_t now) {
    auto prober = probers_.find(name);
    const std::map<std::string, std::string> no_tags;
    const auto& tags = prober == probers_.end() ? no_tags : prober->second.hello.tags;
    // A sweep that names probers by tag runs on those only; its units wait for them.
    auto may_run = [&](std::uint64_t unit_id) {
      auto unit = units_.find(unit_id);
      if (unit == units_.end()) return true;  // its sweep has ended: dropped below
      auto sweep = sweeps_.find(unit->second.sweep);
      return sweep == sweeps_.end() ||
             (sweep->second.probers.matches(tags) && sweep->second.reask_not_before_ms <= now);
    };
    for (const Lease& lease : ledger_.assign(name, now, may_run)) {
      auto unit = units_.find(lease.unit);
      if (unit == units_.end()) {  // its sweep has ended: the credit goes back
        ledger_.drop_unit(lease.unit);
        continue;
      }
      const StoredSweep& sweep = sweeps_.at(unit->second.sweep).info;
      protocol::Work work;
      work.unit = lease.unit;
      work.sweep = sweep.id;
      work.lease_deadline_ms = lease.deadline_ms;
      work.per_resolver_qps = sweep.settings.per_resolver_qps;
      work.timeout_ms = sweep.settings.timeout_ms;
      work.retries = sweep.settings.retries;
      work.express = lease.express;
      const SweepRuntime& runtime = sweeps_.at(unit->second.sweep);
      std::set<Question> asked;
      std::vector<StoredResult> refused;
      for (std::size_t i = 0; i < unit->second.tasks.size(); ++i) {
        const protocol::WorkTask& t = unit->second.tasks[i];
        if (ledger_.task_done(lease.unit, t.index)) continue;
        // The opt-out list as it is now: a unit planned before an address opted out (and
        // restored since) must not ask it either. The task is answered here, as refused.
        if (const auto& endpoint = unit->second.resolvers[i]; endpoint && opt_out_.covers(*endpoint)) {
          accept(name, lease.unit,
                 not_asked(Task{*endpoint, t.qname, t.qtype, t.index}, NotAskedReason::opt_out_coordinator, now),
                 now, refused);
          continue;
        }
        work.tasks.push_back(t);
        asked.insert(Question{t.qname, t.qtype});
      }
      if (!refused.empty()) store_.add_results(refused);
      if (lease.express) ++express_units_;
      work.digest_key = sweep.settings.digest_key;
      for (const auto& q : asked)
        if (auto d = runtime.digests.find(q); d != runtime.digests.end())
          work.expected.push_back(protocol::ExpectedAnswers{q.qname, q.qtype, d->second});
      send_to(name, work);
    }
  }

  void dispatch_all(std::int64_t now) {
    for (const auto& name : ledger_.probers()) dispatch(name, now);
  }

  void tick(std::int64_t now) {
    if (now - last_heartbeat_ms_ >= options_.ledger.heartbeat_ms) {
      last_heartbeat_ms_ = now;
      for (const auto& [name, p] : probers_) send_to(name, protocol::Heartbeat{});
      for (const auto& dead : ledger_.expire(now)) {
        log_ << "mxsentry-coordinator: prober " << dead << " went silent; its units go to others" << std::endl;
        probers_.erase(dead);
      }
      run_schedule(now);
      dispatch_all(now);
      for (auto& [id, s] : sweeps_) {
        if (s.judging) continue;
        if (s.reasking && now >= s.reask_deadline_ms)
          give_up_open_units(s, "re-ask units");
        else if (!s.reasking && !s.deadline_passed && s.info.settings.deadline_ms > 0 && now >= s.info.settings.deadline_ms)
          give_up_bound_units(s);
      }
    }
    for (auto& [id, s] : sweeps_)
      if (s.truth_lookup && s.truth_lookup->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
          AnswerSets sets = s.truth_lookup->get();
          store_.set_answer_sets(id, sets);
          set_answer_sets(s, std::move(sets));
          log_ << "mxsentry-coordinator: sweep " << id << ": the truth holds answers for " << s.answer_sets.size()
               << " questions; matching answers come back compact" << std::endl;
        } catch (const std::exception& e) {
          log_ << "mxsentry-coordinator: sweep " << id << ": no truth yet (" << e.what()
               << "); every answer comes back in full" << std::endl;
        }
        s.truth_lookup.reset();
      }
    for (auto it = sweeps_.begin(); it != sweeps_.end();) {
      SweepRuntime& s = it->second;
      if (s.judging && s.judging->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        if (!finish_sweep(s, s.judging->get(), now)) {  // its flagged answers are asked again first
          ++it;
          continue;
        }
        // A future from std::async blocks when destroyed: a lookup still running is kept aside.
        if (s.truth_lookup) retired_lookups_.push_back(std::move(*s.truth_lookup));
        it = sweeps_.erase(it);
      } else {
        ++it;
      }
    }
    std::erase_if(retired_lookups_, [](auto& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    for (auto it = pending_checks_.begin(); it != pending_checks_.end();) {
      if (it->targets.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      send_message(control_, {it->routing_id, "", reply_text(launch_check(*it, now))});
      it = pending_checks_.erase(it);
    }
  }

  // ---- sweeps ----

  SweepRuntime& add_runtime(const StoredSweep& info) {
    SweepRuntime& s = sweeps_[info.id];
    s.info = info;
    s.probers = ProberSelector::parse(info.settings.probers);
    return s;
  }

  void set_answer_sets(SweepRuntime& s, AnswerSets sets) {
    s.answer_sets = std::move(sets);
    s.digests.clear();
    for (const auto& [question, list] : s.answer_sets) {
      // More sets than a WORK may carry (many servers answering differently): that question's
      // answers come back in full rather than make every unit undecodable.
      if (list.size() > options_.limits.max_answer_sets) continue;
      for (const auto& set : list)
        s.digests[question].push_back(protocol::answer_set_digest(s.info.settings.digest_key, set.rcode, set.records));
    }
  }

  /// How this coordinator asks the authoritative servers (its root hints and trust anchor).
  TruthOptions truth_options() const {
    TruthOptions truth;
    truth.root_hints = options_.root_hints;
    truth.trust_anchor = options_.trust_anchor;
    return truth;
  }

  void look_up_truth(SweepRuntime& s, std::vector<Question> questions) {
    s.truth_lookup = std::async(std::launch::async, find_answer_sets, truth_options(), std::move(questions));
  }

  void restore() {
    std::map<std::uint64_t, StoredSweep> running;
    for (const auto& s : store_.sweeps())
      if (s.state == "running") running[s.id] = s;
    for (auto& [id, s] : running) {
      SweepRuntime& runtime = add_runtime(s);
      AnswerSets sets = store_.answer_sets(id);
      if (!sets.empty()) {
        set_answer_sets(runtime, std::move(sets));
        continue;
      }
      std::vector<Question> questions;
      for (const auto& [qname, qtype] : store_.questions(id)) questions.push_back(Question{qname, qtype});
      look_up_truth(runtime, std::move(questions));
    }
    std::size_t restored = 0;
    for (auto& u : store_.open_units()) {
      if (u.tasks_done.size() == u.tasks.size()) {  // every result stored, the DONE lost with the old process
        store_.mark_unit_done(u.id);
        continue;
      }
      const SweepSettings& settings = running[u.sweep].settings;
      ledger_.restore_unit(u.id, static_cast<std::uint32_t>(u.tasks.size()), u.owner, u.tasks_done,
                           unit_lease_ms(u.tasks, settings, options_.ledger.lease_ms), settings.priority);
      sweeps_[u.sweep].open_units.insert(u.id);
      units_[u.id] = UnitRuntime{u.sweep, std::move(u.tasks), u.owner.has_value()};
      ++restored;
    }
    std::int64_t now = now_ms();
    for (auto& [id, s] : sweeps_) {
      if (store_.has_reask_units(id)) {  // it was asking flagged answers again
        s.reasking = true;
        s.reask_deadline_ms = now + std::max<std::int64_t>(60'000, options_.ledger.lease_ms);
      }
      if (s.open_units.empty()) begin_judging(s, "complete");
    }
    if (!running.empty())
      log_ << "mxsentry-coordinator: resumed " << running.size() << " sweeps, " << restored << " open units" << std::endl;
  }

  /// Plans a sweep against the probers connected now, keeps it, and hands its units out.
  /// Throws std::invalid_argument when there is nothing to ask or nobody to ask it.
  struct Launched {
    std::uint64_t id = 0;
    std::vector<std::string> vantages;
  };

  Launched launch(const SweepLaunch& launch, std::int64_t now) {
    ProberSelector selector = ProberSelector::parse(launch.settings.probers);
    SweepRequest plan;
    plan.name = launch.name;
    plan.assignment = launch.assignment;
    plan.questions = launch.questions;
    plan.unit_size = options_.unit_size;
    // The opt-out list is honoured here as well as at every prober, before anything is planned.
    auto allowed = [&](const std::string& text) {
      auto endpoint = Endpoint::parse(text);
      return endpoint && !opt_out_.covers(*endpoint);
    };
    for (const auto& r : launch.resolvers)
      if (allowed(r)) plan.resolvers.push_back(r);
    std::size_t opted_out = launch.resolvers.size() - plan.resolvers.size();
    for (const auto& name : ledger_.probers()) {
      auto p = probers_.find(name);
      if (p == probers_.end() || !selector.matches(p->second.hello.tags)) continue;
      plan.vantages.push_back(name);
      if (!launch.local_resolvers) continue;
      for (const auto& r : p->second.hello.resolvers)
        if (allowed(r)) plan.local_resolvers[name].push_back(r);
    }
    if (plan.assignment == Assignment::all && plan.vantages.empty())
      throw std::invalid_argument(selector.required.empty() ? "no prober is connected"
                                                            : "no connected prober has the tags " + selector.to_string());
    std::vector<UnitPlan> units = plan_units(plan);
    SweepSettings settings = launch.settings;
    settings.probers = selector.to_string();
    settings.digest_key = protocol::random_digest_key();
    // Units bound to one vantage (`all` mode, local resolvers) wait for it until a deadline.
    bool bound = std::any_of(units.begin(), units.end(), [](const UnitPlan& u) { return u.owner.has_value(); });
    if (bound) settings.deadline_ms = now + (launch.wait_ms > 0 ? launch.wait_ms : options_.all_deadline_ms);
    std::uint64_t id = store_.create_sweep(plan.name, to_string(plan.assignment), units, now, settings);
    SweepRuntime& s = add_runtime(*store_.sweep(id));
    if (!launch.truths.empty()) {
      AnswerSets sets = answer_sets_of(launch.truths);
      store_.set_answer_sets(id, sets);
      set_answer_sets(s, std::move(sets));
    } else {
      look_up_truth(s, plan.questions);
    }
    for (auto& u : store_.open_units(id)) {
      ledger_.add_unit(u.id, static_cast<std::uint32_t>(u.tasks.size()), u.owner,
                       unit_lease_ms(u.tasks, settings, options_.ledger.lease_ms), settings.priority);
      s.open_units.insert(u.id);
      units_[u.id] = UnitRuntime{id, std::move(u.tasks), u.owner.has_value()};
    }
    log_ << "mxsentry-coordinator: sweep " << id << " (" << plan.name << ", " << to_string(plan.assignment) << ") started: "
         << units.size() << " units, " << plan.vantages.size() << " vantages";
    if (opted_out > 0) log_ << ", " << opted_out << " resolvers skipped: they opted out";
    log_ << std::endl;
    dispatch_all(now);
    return Launched{id, plan.vantages};
  }

  /// Scheduled sweeps: a definition with an interval starts when due. Right after a start the
  /// probers are given a few heartbeats to come back, and a start that fails (a bad file, no
  /// prober) is tried again a minute later, not every tick.
  void run_schedule(std::int64_t now) {
    if (now - started_ms_ < options_.ledger.heartbeat_ms * options_.ledger.missed_heartbeats) return;
    for (const auto& d : options_.sweeps) {
      if (d.interval_ms <= 0) continue;
      ScheduleState& state = schedule_[d.name];
      bool running = std::any_of(sweeps_.begin(), sweeps_.end(), [&](const auto& s) { return s.second.info.name == d.name; });
      if (!sweep_due(d.interval_ms, state.last_started_ms, running, now)) continue;
      if (state.last_attempt_ms > 0 && now - state.last_attempt_ms < std::min<std::int64_t>(60'000, d.interval_ms)) continue;
      state.last_attempt_ms = now;
      try {
        launch(launch_of_definition(d), now);
        state.last_started_ms = now;
      } catch (const std::exception& e) {
        log_ << "mxsentry-coordinator: scheduled sweep " << d.name << " not started: " << e.what() << std::endl;
      }
    }
  }

  /// The deadline of units bound to one vantage: those still open are given up (their vantage
  /// is gone or too slow), and the sweep ends incomplete once its shared units are done too.
  void give_up_bound_units(SweepRuntime& s) {
    s.deadline_passed = true;
    std::size_t given_up = 0;
    for (auto it = s.open_units.begin(); it != s.open_units.end();) {
      auto unit = units_.find(*it);
      if (unit != units_.end() && !unit->second.bound) {
        ++it;
        continue;
      }
      units_.erase(*it);
      ledger_.drop_unit(*it);
      it = s.open_units.erase(it);
      ++given_up;
    }
    log_ << "mxsentry-coordinator: sweep " << s.info.id << ": deadline; " << given_up
         << " units bound to a vantage given up" << std::endl;
    if (s.open_units.empty()) begin_judging(s, "incomplete");
  }

  void begin_judging(SweepRuntime& s, const std::string& state) {
    if (s.judging) return;
    s.final_state = state;
    for (auto unit : s.open_units) {
      units_.erase(unit);
      ledger_.drop_unit(unit);
    }
    s.open_units.clear();
    log_ << "mxsentry-coordinator: sweep " << s.info.id << " " << state << "; judging it" << std::endl;
    SweepJudging job;
    job.db_path = options_.db_path;
    job.sweep = s.info.id;
    job.all_mode = s.info.assignment == "all";
    job.truth = truth_options();
    job.config = &config_;
    job.asn_db = asn_db_.get();
    job.ioc = ioc_.get();
    job.known = s.truth;  // the second judging (after re-asking) reuses the first one's truths
    s.judging = std::async(std::launch::async, judge_sweep, std::move(job));
  }

  /// Stores the verdicts and ends the sweep; or, after a first judging that flagged answers,
  /// starts asking them again and returns false (the sweep goes on).
  bool finish_sweep(SweepRuntime& s, JudgedSweep judged, std::int64_t now) {
    s.judging.reset();
    if (!judged.error.empty()) {
      log_ << "mxsentry-coordinator: sweep " << s.info.id << ": not judged: " << judged.error << std::endl;
      store_.set_sweep_state(s.info.id, "failed");
      return true;
    }
    if (!s.reasking && !s.deadline_passed && config_.reask_delay_ms > 0 && start_reask(s, judged.verdicts, now)) {
      s.truth = std::move(judged.truth);
      return false;
    }
    store_.set_verdicts(s.info.id, judged.verdicts);
    store_.set_sweep_state(s.info.id, s.final_state);
    log_ << "mxsentry-coordinator: sweep " << s.info.id << " " << s.final_state << " with "
         << judged.verdicts.size() << " verdicts" << std::endl;
    return true;
  }

  /// Every flagged answer asked again by the vantage that saw it: a cache counts a forged TTL
  /// down, an injector answers fresh. Returns false when nothing was flagged.
  bool start_reask(SweepRuntime& s, const std::vector<Verdict>& verdicts, std::int64_t now) {
    std::map<std::string, std::vector<protocol::WorkTask>> by_vantage;
    for (const auto& v : verdicts)
      // Only vantages still connected: a gone one's answers are judged without a second look.
      if (v.flagged() && ledger_.alive(v.vantage)) {
        auto& tasks = by_vantage[v.vantage];
        tasks.push_back(protocol::WorkTask{0, v.resolver.to_string(), canonical_name(v.qname), v.qtype});
      }
    if (by_vantage.empty()) return false;
    std::vector<UnitPlan> units;
    for (auto& [vantage, tasks] : by_vantage)
      for (std::size_t at = 0; at < tasks.size(); at += options_.unit_size) {
        UnitPlan unit{vantage, {}};
        for (std::size_t i = at; i < std::min(tasks.size(), at + options_.unit_size); ++i) {
          unit.tasks.push_back(tasks[i]);
          unit.tasks.back().index = static_cast<std::uint32_t>(unit.tasks.size() - 1);
        }
        units.push_back(std::move(unit));
      }
    store_.add_reask_units(s.info.id, units);
    enter_reask(s, now + config_.reask_delay_ms);
    log_ << "mxsentry-coordinator: sweep " << s.info.id << ": " << s.open_units.size() << " units ask flagged answers again in "
         << config_.reask_delay_ms << " ms" << std::endl;
    return true;
  }

  /// The re-ask phase, from the database's open re-ask units (also after a restart).
  void enter_reask(SweepRuntime& s, std::int64_t not_before) {
    s.reasking = true;
    s.reask_not_before_ms = not_before;
    // Long enough for a unit of flagged answers at the sweep's rates; a vantage gone by then
    // leaves its answers judged without the second look.
    s.reask_deadline_ms = not_before + std::max<std::int64_t>(60'000, options_.ledger.lease_ms);
    for (auto& u : store_.open_units(s.info.id)) {
      if (!u.reask || units_.count(u.id)) continue;
      ledger_.add_unit(u.id, static_cast<std::uint32_t>(u.tasks.size()), u.owner,
                       unit_lease_ms(u.tasks, s.info.settings, options_.ledger.lease_ms), s.info.settings.priority);
      s.open_units.insert(u.id);
      units_[u.id] = UnitRuntime{s.info.id, std::move(u.tasks), true};
    }
    if (s.open_units.empty()) begin_judging(s, s.final_state.empty() ? "complete" : s.final_state);
  }

  /// Gives up every open unit of a sweep (its re-ask units past their deadline) and judges it.
  void give_up_open_units(SweepRuntime& s, const char* what) {
    for (auto unit : s.open_units) {
      units_.erase(unit);
      ledger_.drop_unit(unit);
    }
    log_ << "mxsentry-coordinator: sweep " << s.info.id << ": " << s.open_units.size() << " " << what
         << " not finished in time" << std::endl;
    s.open_units.clear();
    begin_judging(s, s.deadline_passed ? "incomplete" : "complete");
  }

  json start_sweep(const json& request) {
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
  std::optional<json> begin_check(const std::string& routing_id, const json& request) {
    CheckRequest check = parse_check_request(request);
    if (ledger_.probers().empty()) return json{{"ok", false}, {"error", "no prober is connected"}};
    TruthOptions truth = truth_options();
    std::vector<std::string> domains = check.domains;
    std::vector<std::uint16_t> types = check.host_types;
    auto targets = std::async(std::launch::async, [truth, domains, types] {
      dnssec::Validator validator;
      if (!truth.trust_anchor.empty()) validator.load_trust_anchor_file(truth.trust_anchor);
      return find_mail_targets(domains, types, truth, validator);
    });
    pending_checks_.push_back(PendingCheck{now_ms(), routing_id, std::move(check), std::move(targets)});
    return std::nullopt;
  }

  /// The check's hosts are known: the sweep goes to every connected prober, before any other work.
  json launch_check(PendingCheck& pending, std::int64_t now) {
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

  // ---- control ----

  json status() {
    json probers = json::array();
    for (const auto& name : ledger_.probers()) {
      auto p = probers_.find(name);
      json tags = json::object();
      if (p != probers_.end())
        for (const auto& [k, v] : p->second.hello.tags) tags[k] = v;
      probers.push_back({{"name", name},
                         {"last_heartbeat_ms", ledger_.last_seen(name).value_or(0)},
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
    return json{{"ok", true},
                {"probers", probers},
                {"sweeps", sweeps},
                {"definitions", definitions},
                {"dropped_messages", dropped},         // malformed, oversized, unknown: logged and dropped
                {"late_results", late_or_unknown_},   // from a prober that no longer held the unit
                {"full_results", full_results_},      // observations received in full
                {"compact_results", compact_results_},  // rebuilt from the truth's answer sets
                {"results_bytes", results_bytes_},      // RESULTS bodies received
                {"express_units", express_units_},      // check units sent beyond a prober's credit
                {"refused_units", refused_units_}};     // units a prober had no room for
  }

  json sweep_json(const StoredSweep& s) {
    std::string state = s.state;
    if (auto r = sweeps_.find(s.id); r != sweeps_.end() && r->second.judging) state = "judging";
    else if (r != sweeps_.end() && r->second.reasking) state = "re-asking";
    return json{{"id", s.id},         {"name", s.name},
                {"assignment", s.assignment}, {"state", state},
                {"units", s.units},   {"units_done", s.units_done},
                {"tasks", s.tasks},   {"results", s.results},   {"reasked", s.reasked},
                {"not_asked", s.not_asked},  // results refused on purpose, by reason (also in results)
                {"created_ms", s.created_ms}, {"deadline_ms", s.settings.deadline_ms},
                {"priority", s.settings.priority}, {"probers", s.settings.probers}};
  }

  json sweep_verdicts(std::uint64_t id) {
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

  void on_control(const Received& m) {
    // REQ peers: [routing id, empty delimiter, request]
    if (m.too_many_parts || m.parts.size() != 3 || !m.parts[1].empty()) return drop("control peer", "not a REQ message");
    std::optional<json> reply;
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

  const CoordinatorOptions& options_;
  std::ostream& log_;
  AnalysisConfig config_;
  std::unique_ptr<AsnDatabase> asn_db_;
  std::unique_ptr<PrefixList> ioc_;
  OptOut opt_out_;
  SweepStore store_;
  WorkLedger ledger_;
  Allowlist allowlist_;
  zmq::context_t context_;
  zmq::socket_t probers_socket_, control_, zap_;
  std::map<std::string, ProberState> probers_;
  std::map<std::string, std::string> insecure_names_;  ///< routing id -> name, --insecure only
  std::map<std::uint64_t, SweepRuntime> sweeps_;
  std::map<std::uint64_t, UnitRuntime> units_;
  std::vector<PendingCheck> pending_checks_;
  std::vector<std::future<AnswerSets>> retired_lookups_;  ///< of sweeps that ended first
  std::map<std::string, ScheduleState> schedule_;
  std::map<std::string, std::uint64_t> dropped_;
  std::uint64_t late_or_unknown_ = 0;
  std::uint64_t full_results_ = 0, compact_results_ = 0, results_bytes_ = 0, express_units_ = 0, refused_units_ = 0;
  std::int64_t last_heartbeat_ms_ = 0;
  std::int64_t started_ms_ = 0;
};

}  // namespace

int run_coordinator(const CoordinatorOptions& options, std::atomic<bool>& stop, std::ostream& log) {
  try {
    Coordinator coordinator(options, log);
    coordinator.setup();
    coordinator.loop(stop);
    return 0;
  } catch (const std::exception& e) {
    log << "mxsentry-coordinator: " << e.what() << std::endl;
    return 2;
  }
}

}  // namespace mxsentry
