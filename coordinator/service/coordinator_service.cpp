#include "coordinator/service/coordinator_service.h"

#include <chrono>
#include <ostream>

#include "coordinator/service/coordinator.h"
#include "protocol/curve_keys.h"
#include "protocol/dns/shown_text.h"
#include "targets/ioc_list.h"

namespace mxsentry {

namespace service {

namespace {

constexpr const char* zap_domain = "mxsentry";
/// Time the loop spends on the probers' messages before it turns to the control API again.
constexpr std::chrono::milliseconds prober_turn_budget{200};

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string reply_text(const nlohmann::json& reply) {
  return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Coordinator::Coordinator(const CoordinatorOptions& options, std::ostream& log)
    : options_(options), log_(log), store_(options.db_path), lifecycle_(options.ledger, options.limits.max_answer_sets),
      probers_socket_(context_, zmq::socket_type::router), control_(context_, zmq::socket_type::router),
      zap_(context_, zmq::socket_type::rep) {}

void Coordinator::setup() {
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
    make_curve_server(probers_socket_, read_curve_key(options_.key_path, KeyKind::secret_key), zap_domain);
    log_ << "mxsentry-coordinator: CURVE on, " << allowlist_.size() << " prober keys allowed\n";
  } else {
    log_ << "mxsentry-coordinator: --insecure: probers connect over plain TCP without authentication\n";
  }
  probers_socket_.bind(options_.listen);
  control_.bind(options_.control);
  writer_ = std::make_unique<ResultWriter>(options_.db_path);
  restore();
  carry_out();
  started_ms_ = now_ms();
  for (const auto& d : options_.sweeps) schedule_[d.name].last_started_ms = store_.last_started_ms(d.name);
  log_ << "mxsentry-coordinator: probers on " << options_.listen << ", control on " << options_.control
       << ", database " << options_.db_path << std::endl;
}

void Coordinator::loop(std::atomic<bool>& stop) {
  std::vector<zmq::pollitem_t> items{{probers_socket_.handle(), 0, ZMQ_POLLIN, 0},
                                     {control_.handle(), 0, ZMQ_POLLIN, 0},
                                     {zap_.handle(), 0, ZMQ_POLLIN, 0}};
  std::size_t polled = options_.insecure ? 2 : 3;
  while (!stop.load()) {
    poll_interruptible(items.data(), polled, std::chrono::milliseconds(100));
    // Fair to every peer: a bounded number of messages per socket per turn, and the probers'
    // messages (results written to the database) for a bounded time, so that the control
    // API answers within its clients' timeout however busy the probers keep the loop.
    for (int i = 0; i < 100; ++i) {
      auto m = receive_message(control_, 4);
      if (!m) break;
      on_control(*m);
    }
    auto turn_ends = std::chrono::steady_clock::now() + prober_turn_budget;
    for (int i = 0; i < 1000 && std::chrono::steady_clock::now() < turn_ends; ++i) {
      auto m = receive_message(probers_socket_, 4);
      if (!m) break;
      on_prober_message(*m);
    }
    if (!options_.insecure)
      while (auto m = receive_message(zap_, 16)) {
        std::vector<std::string> reply = zap_reply(m->parts, allowlist_, zap_domain);
        // A refused prober only sees silence: the operator learns why here (the first ten,
        // then every thousandth, so a flood cannot fill the log).
        if (reply[2] != "200" && (++refused_handshakes_ <= 10 || refused_handshakes_ % 1000 == 0))
          log_ << "mxsentry-coordinator: refused a CURVE handshake from "
               << (m->parts.size() > 3 ? printable_ascii(m->parts[3]) : std::string("?")) << ": " << reply[3] << " (#"
               << refused_handshakes_ << ")" << std::endl;
        send_message(zap_, reply);
      }
    // A tick that fails (the database refused a write) is tried again at the next one.
    try {
      tick(now_ms());
    } catch (const std::exception& e) {
      log_ << "mxsentry-coordinator: tick failed: " << e.what() << std::endl;
    }
    carry_out();
  }
  for (const auto& [name, p] : probers_) send_to(name, protocol::Bye{});
  // A judging waiting for the writer gives up; what is queued is written (tried for a while).
  writer_->close();
  if (std::size_t left = writer_->backlog(); left > 0)
    log_ << "mxsentry-coordinator: " << left << " results not written (" << writer_->stats().last_error
         << "); their units are asked again after a restart" << std::endl;
}

Coordinator::~Coordinator() {
  if (writer_) writer_->stop();
}

void Coordinator::tick(std::int64_t now) {
  if (now - last_heartbeat_ms_ >= options_.ledger.heartbeat_ms) {
    last_heartbeat_ms_ = now;
    for (const auto& [name, p] : probers_) send_to(name, protocol::Heartbeat{});
    for (const auto& dead : lifecycle_.expire(now)) {
      log_ << "mxsentry-coordinator: prober " << dead << " went silent; its units go to others" << std::endl;
      probers_.erase(dead);
    }
    run_schedule(now);
    dispatch_all(now);
  }
  report_writer();
  collect_truth_lookups();
  reverify_early();
  collect_judgings(now);
  std::erase_if(retired_lookups_, [](auto& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
  answer_checks(now);
}

void Coordinator::report_writer() {
  WriterStats s = writer_->stats();
  if (s.last_error == writer_error_) return;
  writer_error_ = s.last_error;
  if (!s.last_error.empty())
    log_ << "mxsentry-coordinator: results not written yet (" << s.backlog << " waiting, tried again): "
         << s.last_error << std::endl;
  else
    log_ << "mxsentry-coordinator: results written again" << std::endl;
}

void Coordinator::carry_out() {
  for (const auto& note : lifecycle_.take_notes()) log_ << "mxsentry-coordinator: " << note << std::endl;
  for (const auto& order : lifecycle_.take_judge_orders()) start_judging(order);
}

}  // namespace service

int run_coordinator(const CoordinatorOptions& options, std::atomic<bool>& stop, std::ostream& log) {
  try {
    service::Coordinator coordinator(options, log);
    coordinator.setup();
    coordinator.loop(stop);
    return 0;
  } catch (const std::exception& e) {
    log << "mxsentry-coordinator: " << e.what() << std::endl;
    return 2;
  }
}

}  // namespace mxsentry
