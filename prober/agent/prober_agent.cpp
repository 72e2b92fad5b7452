#include "prober/agent/prober_agent.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <ostream>
#include <thread>

#include <zmq.hpp>

#include "prober/core/limits.h"
#include "prober/core/not_asked.h"
#include "prober/io/observe.h"
#include "protocol/answer_sets.h"
#include "protocol/curve_keys.h"
#include "protocol/message_codec.h"
#include "protocol/zmq_io.h"
#include "protocol/dns/names.h"
#include "targets/address_class.h"
#include "targets/opt_out.h"
#include "targets/resolver_catalog.h"

namespace mxsentry {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Keys {
  std::string public_key, secret_key, server_key;
};

Keys load_keys(const ProberOptions& options) {
  Keys keys;
  keys.secret_key = read_curve_key(options.key_path);
  std::array<char, 41> public_key{};
  if (zmq_curve_public(public_key.data(), keys.secret_key.c_str()) != 0)
    throw KeyError(options.key_path + ": cannot derive the public key");
  keys.public_key = public_key.data();
  keys.server_key = read_curve_key(options.server_key_path);
  return keys;
}

/// One unit running on the engine in a worker thread. An express unit (work.express, an
/// on-demand check) runs beside the capacity: at most one, and outside the credit.
struct RunningUnit {
  protocol::Work work;
  std::future<std::vector<Observation>> observations;
};

/// A unit's observations with what they are compared with before they go (compact results).
struct FinishedUnit {
  std::uint64_t unit = 0;
  protocol::DigestKey key;
  std::map<std::pair<std::string, std::uint16_t>, std::vector<std::uint64_t>> expected;  ///< by (qname, qtype)
  std::vector<Observation> observations;
};

class Agent {
 public:
  Agent(const ProberOptions& options, std::ostream& log) : options_(options), log_(log) {}

  void setup() {
    if (!options_.insecure) keys_ = load_keys(options_);
    opt_out_ = OptOut::load(options_.opt_out_paths);
    if (!options_.resolvers_path.empty()) {
      for (const auto& r : load_resolver_catalog(options_.resolvers_path, ResolverListOptions{options_.allow_private})
                               .resolvers)
        local_resolvers_.push_back(r.address.to_string());
    }
  }

  void loop(std::atomic<bool>& stop) {
    std::int64_t backoff_ms = 500;
    while (!stop.load()) {
      connect();
      std::int64_t silent_since = now_ms();
      bool lost = false;
      while (!stop.load() && !lost) {
        zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
        poll_interruptible(&item, 1, std::chrono::milliseconds(50));
        while (auto m = receive_message(*socket_, 4)) {
          silent_since = now_ms();
          backoff_ms = 500;
          on_message(*m);
        }
        collect_finished();
        std::int64_t now = now_ms();
        if (now - last_heartbeat_ms_ >= options_.heartbeat_ms) {
          last_heartbeat_ms_ = now;
          send(protocol::Heartbeat{});
        }
        lost = now - silent_since > options_.heartbeat_ms * static_cast<std::int64_t>(options_.missed_heartbeats);
      }
      if (lost) {
        log_ << "mxsentry-prober: coordinator silent; reconnecting in " << backoff_ms << " ms" << std::endl;
        socket_.reset();  // what finishes meanwhile is kept in unsent_ for the next connection
        for (std::int64_t waited = 0; waited < backoff_ms && !stop.load(); waited += 50) {
          collect_finished();  // keep the results of running units for the next connection
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        backoff_ms = std::min<std::int64_t>(backoff_ms * 2, 30'000);
      }
    }
    if (!socket_) connect();  // say goodbye, and hand over what finished, if anyone listens
    for (auto& pending : unsent_) send_results(pending);
    send(protocol::Bye{});
    for (auto& unit : running_) unit.observations.wait();
  }

 private:
  void connect() {
    socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
    socket_->set(zmq::sockopt::linger, 1000);
    socket_->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(limits_.max_body_bytes));
    if (!options_.insecure) make_curve_client(*socket_, keys_.public_key, keys_.secret_key, keys_.server_key);
    socket_->connect(options_.coordinator);
    introduce();
    // Results finished while disconnected go out now.
    for (auto& pending : unsent_) send_results(pending);
    unsent_.clear();
    log_ << "mxsentry-prober: " << options_.id << " connected to " << options_.coordinator << std::endl;
  }

  /// Units running by credit (the express one, if any, is not among them).
  std::uint32_t ordinary_running() const {
    return static_cast<std::uint32_t>(
        std::count_if(running_.begin(), running_.end(), [](const RunningUnit& u) { return !u.work.express; }));
  }
  bool express_running() const {
    return std::any_of(running_.begin(), running_.end(), [](const RunningUnit& u) { return u.work.express; });
  }

  /// HELLO, then credit for what is free (units still running here keep theirs; an express
  /// unit took no credit and holds none).
  void introduce() {
    protocol::Hello hello;
    hello.id = options_.id;
    hello.software = "mxsentry-prober 0.1.0";
    hello.capacity = options_.capacity;
    hello.tags = options_.tags;
    hello.resolvers = local_resolvers_;
    send(hello);
    std::uint32_t busy = ordinary_running();
    std::uint32_t free = options_.capacity > busy ? options_.capacity - busy : 0;
    if (free > 0) send(protocol::Ready{free});
  }

  void send(const protocol::Message& message) {
    protocol::Frames f = protocol::encode(message);
    send_message(*socket_, {f.type, f.body});
  }

  void on_message(const Received& m) {
    if (m.too_many_parts || m.parts.size() != 2) {
      log_ << "mxsentry-prober: dropped a message that is not [type, body]\n";
      return;
    }
    protocol::Message message;
    try {
      message = protocol::decode(m.parts[0], m.parts[1], limits_);
    } catch (const protocol::ProtocolError& e) {
      log_ << "mxsentry-prober: dropped: " << e.what() << "\n";
      return;
    }
    if (auto* work = std::get_if<protocol::Work>(&message)) start(std::move(*work));
    // Heartbeats go back at the coordinator's pace, whatever this side's interval.
    if (std::holds_alternative<protocol::Heartbeat>(message)) send(protocol::Heartbeat{});
    if (auto* error = std::get_if<protocol::Error>(&message)) {
      if (error->code == "hello") introduce();
      else log_ << "mxsentry-prober: the coordinator says " << error->code << ": " << error->message << "\n";
    }
    if (std::holds_alternative<protocol::Bye>(message)) log_ << "mxsentry-prober: the coordinator is stopping\n";
  }

  void start(protocol::Work work) {
    // A coordinator may not push more than the credit given, plus one express unit at a time.
    if (work.express ? express_running() : ordinary_running() >= options_.capacity) {
      send(protocol::Error{"capacity", "unit " + std::to_string(work.unit) + " refused: " +
                                           (work.express ? "an express unit is running already" : "no free capacity")});
      return;
    }
    std::vector<Task> tasks;
    std::vector<std::uint32_t> indexes;
    std::vector<Observation> refusals;
    for (const auto& t : work.tasks) {
      // What this vantage will not send comes back as not asked, saying why.
      auto endpoint = Endpoint::parse(t.resolver);
      Task task{endpoint.value_or(Endpoint{}), t.qname, t.qtype, t.index};
      if (!endpoint) {
        refusals.push_back(not_asked(task, NotAskedReason::bad_address, now_ms(), t.resolver));
        continue;
      }
      if (opt_out_.covers(*endpoint)) {
        refusals.push_back(not_asked(task, NotAskedReason::opt_out, now_ms()));
        continue;
      }
      if (auto block = options_.allow_private ? std::nullopt : special_purpose_block(*endpoint)) {
        refusals.push_back(not_asked(task, NotAskedReason::private_refused, now_ms(), *block));
        continue;
      }
      indexes.push_back(t.index);
      tasks.push_back(std::move(task));  // observe() numbers its tasks; `indexes` maps back to the unit
    }
    EngineConfig config;
    config.max_in_flight = 200;
    // The vantage's caps are shared by the units it runs at once, each engine getting its part:
    // `capacity` ordinary units and the one express unit that may run beside them. An engine's
    // rates are fixed when it starts, so the express part is kept free even when none runs.
    double share = static_cast<double>(std::max<std::uint32_t>(options_.capacity, 1)) + 1;
    config.per_resolver_qps = std::min(work.per_resolver_qps > 0 ? work.per_resolver_qps : options_.max_per_resolver_qps,
                                       options_.max_per_resolver_qps) / share;
    config.global_qps = options_.max_qps / share;
    config.timeout_ms = std::clamp(work.timeout_ms, limits::min_timeout_ms, limits::max_timeout_ms);
    config.retries = std::min(work.retries, limits::max_retries);
    config.udp_sockets = 8;
    RunningUnit unit;
    unit.work = std::move(work);
    unit.observations = std::async(std::launch::async, [tasks, indexes, refusals, config]() mutable {
      std::vector<Observation> out = std::move(refusals);
      std::vector<Observation> asked;
      try {
        asked = observe(tasks, config);
      } catch (const std::exception& e) {
        for (const auto& t : tasks) {
          Observation o;
          o.resolver = t.resolver, o.qname = t.qname, o.qtype = t.qtype, o.outcome = Outcome::network_error;
          o.error = e.what();
          asked.push_back(std::move(o));
        }
      }
      for (std::size_t i = 0; i < asked.size(); ++i) {
        asked[i].task_index = indexes[i];
        out.push_back(std::move(asked[i]));
      }
      return out;
    });
    running_.push_back(std::move(unit));
  }

  void collect_finished() {
    for (auto it = running_.begin(); it != running_.end();) {
      if (it->observations.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      FinishedUnit finished;
      finished.unit = it->work.unit;
      finished.key = it->work.digest_key;
      for (auto& e : it->work.expected) finished.expected[{canonical_name(e.qname), e.qtype}] = std::move(e.digests);
      bool express = it->work.express;
      finished.observations = it->observations.get();
      it = running_.erase(it);
      if (socket_) {
        send_results(finished);
        if (!express) send(protocol::Ready{1});  // an express unit took no credit: none comes back
      } else {
        unsent_.push_back(std::move(finished));
      }
    }
  }

  void send_results(FinishedUnit& finished) {
    // Batches bounded in count and in bytes, each observation within the protocol's limits: a
    // resolver that answers with thousands of records must not get a whole batch refused. An
    // answer that is one of the truth's answer sets goes compact (protocol/answer_sets.h).
    std::uint32_t sequence = 0;
    protocol::Results batch;
    std::size_t bytes = 0, count = 0;
    auto flush = [&] {
      if (count == 0) return;
      batch.unit = finished.unit;
      batch.sequence = sequence++;
      send(batch);
      batch.observations.clear();
      batch.matched.clear();
      bytes = count = 0;
    };
    auto room_for = [&](std::size_t size) {
      if (count > 0 && (count >= options_.batch_size || bytes + size > limits_.max_body_bytes / 2)) flush();
      bytes += size;
      ++count;
    };
    for (auto& o : finished.observations) {
      // Clamped first: an observation cut to the limits says so in `error`, and goes in full.
      protocol::clamp_to_limits(o, limits_);
      auto expected = finished.expected.find({canonical_name(o.qname), o.qtype});
      if (expected != finished.expected.end()) {
        if (auto matched = protocol::match_answer(o, finished.key, expected->second)) {
          room_for(protocol::encode_matched(*matched).size());
          batch.matched.push_back(std::move(*matched));
          continue;
        }
      }
      room_for(protocol::encode_observation(o).size());
      batch.observations.push_back(std::move(o));
    }
    flush();
    send(protocol::Done{finished.unit});
  }

  const ProberOptions& options_;
  std::ostream& log_;
  protocol::Limits limits_;
  Keys keys_;
  OptOut opt_out_;
  std::vector<std::string> local_resolvers_;
  zmq::context_t context_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::vector<RunningUnit> running_;
  std::vector<FinishedUnit> unsent_;  ///< finished while disconnected
  std::int64_t last_heartbeat_ms_ = 0;
};

}  // namespace

int run_prober(const ProberOptions& options, std::atomic<bool>& stop, std::ostream& log) {
  try {
    Agent agent(options, log);
    agent.setup();
    agent.loop(stop);
    return 0;
  } catch (const std::exception& e) {
    log << "mxsentry-prober: " << e.what() << std::endl;
    return 2;
  }
}

}  // namespace mxsentry
