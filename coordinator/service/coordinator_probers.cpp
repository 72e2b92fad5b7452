// The coordinator's side of the prober protocol: each message decoded, its sender named, and
// handled behind a catch boundary (an error costs that message, never the service); results go
// to the writer's thread (result_writer.h).
#include <algorithm>
#include <ostream>

#include "coordinator/service/coordinator.h"
#include "coordinator/sweep/result_intake.h"
#include "coordinator/sweep/unit_dispatch.h"
#include "protocol/dns/shown_text.h"

namespace mxsentry::service {

namespace {

/// Local resolvers taken from one HELLO: an ISP vantage has a handful.
constexpr std::size_t max_local_resolvers = 256;
/// The most units one prober holds: mxsentry-prober feeds up to 256 at once (--capacity) and
/// holds up to 1,024 (those waiting only for their slowest answers included).
constexpr std::uint32_t max_prober_capacity = 1024;
/// Results waiting for the database before no new unit is handed out (~10 s of a fast sweep).
constexpr std::size_t max_writer_backlog = 200'000;

}  // namespace

void Coordinator::drop(const std::string& who, const std::string& why) {
  std::uint64_t n = ++dropped_[who];
  if (n <= 10 || n % 1000 == 0) log_ << "mxsentry-coordinator: dropped from " << who << " (#" << n << "): " << why << "\n";
}

void Coordinator::send_to(const std::string& name, const protocol::Message& message) {
  auto it = probers_.find(name);
  if (it == probers_.end()) return;
  protocol::Frames f = protocol::encode(message);
  send_message(probers_socket_, {it->second.routing_id, f.type, f.body});
}

void Coordinator::on_prober_message(const Received& m) {
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
  // The catch boundary of one prober message: whatever its handling throws (the database
  // refused a write, a socket error) is logged and counted, and the next message is handled.
  try {
    handle_message(name, routing_id, message, now);
  } catch (const std::exception& e) {
    std::uint64_t n = ++failed_messages_;
    if (n <= 10 || n % 1000 == 0)
      log_ << "mxsentry-coordinator: a message from " << name << " failed (#" << n << "): " << e.what() << std::endl;
  }
}

void Coordinator::handle_message(const std::string& name, const std::string& routing_id, protocol::Message& message,
                                 std::int64_t now) {
  // A prober this coordinator does not know (restarted, or declared dead) must introduce
  // itself again: its credit and units were forgotten, and it cannot know that.
  WorkLedger& ledger = lifecycle_.ledger();
  bool known = ledger.alive(name) && probers_.count(name) > 0;
  ProberState& prober = probers_[name];
  prober.routing_id = routing_id;
  ledger.seen(name, now);
  if (!known && !std::holds_alternative<protocol::Hello>(message)) send_to(name, protocol::Error{"hello", "say HELLO again"});
  std::visit([&](auto& msg) { handle(name, prober, msg, now); }, message);
}

void Coordinator::handle(const std::string& name, ProberState& prober, protocol::Hello& hello, std::int64_t now) {
  if (hello.resolvers.size() > max_local_resolvers) {
    log_ << "mxsentry-coordinator: prober " << name << " declares " << hello.resolvers.size()
         << " local resolvers; the first " << max_local_resolvers << " are used" << std::endl;
    hello.resolvers.resize(max_local_resolvers);
  }
  // What a prober says of itself reaches the log and `status`: no newlines or terminal codes.
  hello.id = printable_ascii(hello.id);
  hello.software = printable_ascii(hello.software);
  std::map<std::string, std::string> tags;
  for (const auto& [k, v] : hello.tags) tags[printable_ascii(k)] = printable_ascii(v);
  hello.tags = std::move(tags);
  lifecycle_.ledger().hello(name, std::clamp<std::uint32_t>(hello.capacity, 1, max_prober_capacity), now);
  lifecycle_.vantages().hello(name, hello.tags, hello.resolvers);
  log_ << "mxsentry-coordinator: prober " << name << " (" << hello.software << ", capacity " << hello.capacity
       << ", " << hello.resolvers.size() << " local resolvers) connected" << std::endl;
  prober.hello = std::move(hello);
}

void Coordinator::handle(const std::string& name, ProberState&, protocol::Ready& ready, std::int64_t now) {
  lifecycle_.ledger().add_credit(name, std::min<std::uint32_t>(ready.credit, max_prober_capacity), now);
  dispatch(name, now);
}

void Coordinator::handle(const std::string& name, ProberState&, protocol::Results& results, std::int64_t now) {
  ResultIntake in = take_results(lifecycle_, name, results, now);
  for (const auto& why : in.refused) drop(name, why);
  late_or_unknown_ += in.late_or_unknown;
  full_results_ += in.full;
  compact_results_ += in.compact;
  store_results(std::move(in.fresh));
}

void Coordinator::store_results(std::vector<StoredResult> fresh) { writer_->add_results(std::move(fresh)); }

void Coordinator::handle(const std::string& name, ProberState&, protocol::Done& done, std::int64_t now) {
  if (lifecycle_.unit_done(name, done.unit, now)) writer_->mark_unit_done(done.unit);  // after its results
}

void Coordinator::handle(const std::string& name, ProberState&, protocol::Bye&, std::int64_t) {
  log_ << "mxsentry-coordinator: prober " << name << " said goodbye" << std::endl;
  lifecycle_.prober_left(name);
  probers_.erase(name);
}

void Coordinator::handle(const std::string& name, ProberState&, protocol::Error& e, std::int64_t) {
  if (e.code == "capacity") ++refused_units_;  // the unit waits out its lease, then goes again
  log_ << "mxsentry-coordinator: prober " << name << " reports " << e.code << ": " << e.message << "\n";
}

void Coordinator::dispatch(const std::string& name, std::int64_t now) {
  // While the database is far behind (a slow or full disk), no new work: the credit waits, and
  // the heartbeat tick dispatches again once the backlog is down.
  if (writer_->backlog() > max_writer_backlog) return;
  auto prober = probers_.find(name);
  const std::map<std::string, std::string> no_tags;
  const auto& tags = prober == probers_.end() ? no_tags : prober->second.hello.tags;
  UnitDispatch out = dispatch_units(lifecycle_, name, tags, opt_out_, now);
  for (const auto& work : out.work) {
    if (work.express) ++express_units_;
    send_to(name, work);
  }
  store_results(std::move(out.refused));
}

void Coordinator::dispatch_all(std::int64_t now) {
  // The prober holding fewest units first: units that come free a few at a time (as the
  // truths of their questions come in) go round the probers, not all to the first in name
  // order, whose credit comes back as fast as its engine takes tasks.
  const WorkLedger& ledger = lifecycle_.ledger();
  std::vector<std::string> names = ledger.probers();
  std::stable_sort(names.begin(), names.end(),
                   [&](const std::string& a, const std::string& b) { return ledger.holding(a) < ledger.holding(b); });
  for (const auto& name : names) dispatch(name, now);
}

}  // namespace mxsentry::service
