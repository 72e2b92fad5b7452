#include "prober/agent/prober_agent.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <thread>

#include <zmq.hpp>

#include "prober/agent/engine_thread.h"
#include "prober/agent/unit_credit.h"
#include "prober/agent/unit_feed.h"
#include "prober/agent/unit_intake.h"
#include "prober/agent/unit_results.h"
#include "protocol/curve_keys.h"
#include "protocol/message_codec.h"
#include "protocol/zmq_io.h"
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
  keys.secret_key = read_curve_key(options.key_path, KeyKind::secret_key);
  std::array<char, 41> public_key{};
  if (zmq_curve_public(public_key.data(), keys.secret_key.c_str()) != 0)
    throw KeyError(options.key_path + ": cannot derive the public key");
  keys.public_key = public_key.data();
  keys.server_key = read_curve_key(options.server_key_path, KeyKind::public_key);
  return keys;
}

/// Results waiting to be sent beyond this (while disconnected, or while the coordinator reads
/// slower than the engine asks) pause the feed: the engine finishes what it holds, no more.
constexpr std::size_t max_held_bytes = 16u << 20;
/// Units held at once, those waiting only for their slowest answers included: sixteen times
/// the units fed at once, within what a coordinator grants one prober (1,024). Each costs
/// little here (its expected digests and a partial batch), and too few stall the engine:
/// with 500-task units that each wait ~6 s for a silent resolver's tries, N held units carry
/// at most N × 500 / 6 tasks a second (64 units: ~5,000/s, the bound seen in sweep-bench).
std::uint32_t held_units_for(std::uint32_t capacity) {
  return std::min<std::uint32_t>(1024, 16 * std::max<std::uint32_t>(capacity, 1));
}
/// Messages ZeroMQ queues for the coordinator before a send fails and the agent keeps them.
constexpr int send_high_water_mark = 256;

class Agent {
 public:
  Agent(const ProberOptions& options, std::ostream& log)
      : options_(options),
        log_(log),
        results_(UnitResults::Settings{options.batch_size, 250, protocol::Limits{}}),
        credit_(options.capacity, held_units_for(options.capacity)) {}

  void setup() {
    if (!options_.insecure) keys_ = load_keys(options_);
    opt_out_ = OptOut::load(options_.opt_out_paths);
    if (!options_.resolvers_path.empty()) {
      for (const auto& r : load_resolver_catalog(options_.resolvers_path, ResolverListOptions{options_.allow_private})
                               .resolvers)
        local_resolvers_.push_back(r.address.to_string());
    }
    // One engine for every unit: its buckets hold the vantage's caps exactly. Each task
    // carries its unit's timeout, retries and, when slower than the cap, its unit's pace.
    EngineConfig config;
    config.max_in_flight = 200 * (static_cast<std::size_t>(std::max<std::uint32_t>(options_.capacity, 1)) + 1);
    config.per_resolver_qps = options_.max_per_resolver_qps;
    config.global_qps = options_.max_qps;
    config.udp_sockets = 8;
    if (std::string error = engine_.start(config, feed_); !error.empty()) throw std::runtime_error(error);
  }

  void loop(std::atomic<bool>& stop) {
    std::int64_t backoff_ms = 500;
    while (!stop.load()) {
      connect();
      std::int64_t silent_since = now_ms();
      bool lost = false;
      bool answered = false;  // ZeroMQ connects in the background: only a reply says it worked
      while (!stop.load() && !lost) {
        zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
        // Results are looked for every turn: often while units run.
        poll_interruptible(&item, 1, std::chrono::milliseconds(results_.units() > 0 ? 20 : 50));
        while (auto m = receive_message(*socket_, 4)) {
          if (!answered)
            log_ << "mxsentry-prober: " << options_.id << " connected to " << options_.coordinator << std::endl;
          answered = true;
          silent_since = now_ms();
          backoff_ms = 500;
          on_message(*m);
        }
        pump_results();
        std::int64_t now = now_ms();
        if (now - last_heartbeat_ms_ >= options_.heartbeat_ms) {
          last_heartbeat_ms_ = now;
          send(protocol::Heartbeat{});
        }
        lost = now - silent_since > options_.heartbeat_ms * static_cast<std::int64_t>(options_.missed_heartbeats);
      }
      if (lost) {
        if (answered)
          log_ << "mxsentry-prober: coordinator silent; reconnecting in " << backoff_ms << " ms" << std::endl;
        else  // CURVE fails in silence: say what it can be
          log_ << "mxsentry-prober: no answer from " << options_.coordinator
               << " (nothing listening there, a wrong --server-key, or this prober's .pub not in the coordinator's "
                  "allow directory); trying again in "
               << backoff_ms << " ms" << std::endl;
        socket_.reset();  // results that complete meanwhile are kept for the next connection
        for (std::int64_t waited = 0; waited < backoff_ms && !stop.load(); waited += 50) {
          pump_results();
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        backoff_ms = std::min<std::int64_t>(backoff_ms * 2, 30'000);
      }
    }
    // What is in flight is abandoned (its units go to other probers when their leases end);
    // what came back is handed over, if anyone listens.
    engine_.stop();
    feed_.close();
    pump_results();
    results_.flush_all();
    if (!socket_) connect();
    send_outgoing();
    send(protocol::Bye{});
  }

 private:
  void connect() {
    socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
    socket_->set(zmq::sockopt::linger, 1000);
    socket_->set(zmq::sockopt::sndhwm, send_high_water_mark);
    socket_->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(limits_.max_body_bytes));
    if (!options_.insecure) make_curve_client(*socket_, keys_.public_key, keys_.secret_key, keys_.server_key);
    socket_->connect(options_.coordinator);
    introduce();
    send_outgoing();  // results kept while disconnected go now
    log_ << "mxsentry-prober: " << options_.id << " connecting to " << options_.coordinator << std::endl;
  }

  /// HELLO, then credit for what is free (units held here, their DONE not sent, keep theirs;
  /// an express unit took no credit and holds none).
  void introduce() {
    protocol::Hello hello;
    hello.id = options_.id;
    hello.software = "mxsentry-prober 0.1.0";
    hello.capacity = credit_.holding_slots();
    hello.tags = options_.tags;
    hello.resolvers = local_resolvers_;
    send(hello);
    credit_.reset();
    offer_credit();
  }

  /// READY for the slots that came free (unit_credit.h): a unit whose tasks the engine has all
  /// taken frees its feeding slot, a DONE sent its holding slot.
  void offer_credit() {
    if (!socket_) return;
    std::uint32_t more = credit_.offer(feed_.ordinary_units(), results_.ordinary_units());
    if (more > 0 && !send(protocol::Ready{more})) credit_.not_given(more);
  }

  bool send(const protocol::Message& message) {
    protocol::Frames f = protocol::encode(message);
    return send_message(*socket_, {f.type, f.body});
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
    if (auto* work = std::get_if<protocol::Work>(&message)) start(*work);
    // Heartbeats go back at the coordinator's pace, whatever this side's interval.
    if (std::holds_alternative<protocol::Heartbeat>(message)) send(protocol::Heartbeat{});
    if (auto* error = std::get_if<protocol::Error>(&message)) {
      if (error->code == "hello") introduce();
      else log_ << "mxsentry-prober: the coordinator says " << error->code << ": " << error->message << "\n";
    }
    if (std::holds_alternative<protocol::Bye>(message)) log_ << "mxsentry-prober: the coordinator is stopping\n";
  }

  /// A unit joins the engine's feed; its refusals go straight to its results.
  void start(const protocol::Work& work) {
    // A coordinator may not push more than the credit given, plus one express unit at a time.
    if (!work.express) credit_.unit_arrived();
    if (work.express ? results_.holds_express()
                     : !credit_.has_room(feed_.ordinary_units(), results_.ordinary_units())) {
      send(protocol::Error{"capacity", "unit " + std::to_string(work.unit) + " refused: " +
                                           (work.express ? "an express unit is running already" : "no free capacity")});
      return;
    }
    std::uint32_t key = next_key_++;
    std::int64_t now = now_ms();
    PreparedUnit prepared =
        prepare_unit(work, key, IntakeRules{&opt_out_, options_.allow_private, options_.max_per_resolver_qps}, now);
    results_.begin(key, work, prepared.tasks.size() + prepared.refused.size(), now);
    for (auto& o : prepared.refused) results_.add(key, std::move(o), now);
    feed_.add(key, work.express, std::move(prepared.tasks));
    engine_.wake();
  }

  /// Observations from the engine into their units' batches; what is ready goes out.
  void pump_results() {
    std::int64_t now = now_ms();
    arrived_.clear();
    engine_.take(arrived_);
    for (auto& o : arrived_) {
      std::uint32_t key = unit_key_of(o.task_index);
      o.task_index = task_of(o.task_index);
      results_.add(key, std::move(o), now);
    }
    results_.flush_aged(now);
    send_outgoing();
    bool full = results_.held_bytes() >= max_held_bytes;
    if (full != paused_) {
      paused_ = full;
      feed_.set_paused(full);
      if (!full) engine_.wake();
    }
  }

  /// Sends queued messages in order until the socket takes no more, then the credit that
  /// came free.
  void send_outgoing() {
    if (!socket_) return;
    while (results_.has_outgoing()) {
      const UnitResults::Outgoing& out = results_.front();
      if (!send_message(*socket_, {out.frames.type, out.frames.body})) break;  // later
      results_.pop();
    }
    offer_credit();
  }

  const ProberOptions& options_;
  std::ostream& log_;
  protocol::Limits limits_;
  Keys keys_;
  OptOut opt_out_;
  std::vector<std::string> local_resolvers_;
  zmq::context_t context_;
  std::unique_ptr<zmq::socket_t> socket_;
  UnitFeed feed_;
  UnitResults results_;
  EngineThread engine_;  ///< after the feed: stopped before the feed goes
  std::vector<Observation> arrived_;
  std::uint32_t next_key_ = 1;
  UnitCredit credit_;
  bool paused_ = false;
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
