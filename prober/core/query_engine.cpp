#include "prober/core/query_engine.h"

#include <algorithm>

#include "protocol/dns/dns_wire.h"

namespace mxsentry {

namespace {

constexpr std::size_t max_unsolicited_sources = 65536;
constexpr std::uint64_t cleanup_interval_us = 1'000'000;

}  // namespace

std::string validate(const EngineConfig& c) {
  if (c.max_in_flight == 0) return "the in-flight cap must be at least 1";
  if (c.retries + 1 > 8) return "at most 7 retries";
  if (c.timeout_ms == 0) return "the timeout must be positive";
  if (c.udp_sockets == 0 || c.udp_sockets > 4096) return "between 1 and 4096 UDP sockets";
  if (c.udp_size < 512) return "EDNS UDP size below 512";
  if (c.global_qps < 0 || c.per_resolver_qps < 0) return "rates cannot be negative";
  return {};
}

QueryEngine::QueryEngine(EngineConfig config, QueryIo& io, RandomSource& random, ObservationSink sink)
    : config_(config), io_(io), random_(random), sink_(std::move(sink)),
      global_(config.global_qps, burst_for_rate(config.global_qps, 1), 0),
      udp_keys_(std::max<std::uint32_t>(1, config.udp_sockets)) {
  if (config_.intake_window == 0) config_.intake_window = 2 * config_.max_in_flight;
  config_.retries = std::min<std::uint32_t>(config_.retries, max_attempts - 1);
  for (auto& k : digest_key_) k = (static_cast<std::uint64_t>(random_.next_u32()) << 32) | random_.next_u32();
}

QueryEngine::~QueryEngine() = default;

std::uint32_t QueryEngine::timeout_ms_of(const Task& task) const {
  return task.timeout_ms > 0 ? task.timeout_ms : config_.timeout_ms;
}

namespace {

std::uint64_t pace_us(const Task& task) {
  return task.per_resolver_qps > 0 ? static_cast<std::uint64_t>(1e6 / task.per_resolver_qps) : 0;
}

}  // namespace

std::uint64_t QueryEngine::paced_until_us(const ResolverState& r) const {
  if (!r.sent || r.queue.size == 0) return 0;
  std::uint64_t pace = pace_us(pending_.front(r.queue).task);
  return pace > 0 ? r.last_sent_us + pace : 0;
}

std::uint32_t QueryEngine::retries_of(const Task& task) const {
  if (task.retries < 0) return config_.retries;
  return std::min<std::uint32_t>(static_cast<std::uint32_t>(task.retries), max_attempts - 1);
}

bool QueryEngine::wants_tasks() const {
  return pending_.size() + blocked_.size() + in_flight_ < config_.intake_window;
}

// ---- intake ---------------------------------------------------------------------------------

void QueryEngine::schedule(ResolverState& r, std::uint64_t now_us) {
  if (r.queue.size == 0) return;
  std::uint64_t at = std::max(r.bucket.next_available_us(now_us), paced_until_us(r));
  // Scheduled already: only sooner than planned (an urgent task came to the front of a queue
  // waiting for a slower task's pace); the earlier plan's sleeper is then stale.
  if (r.scheduled && at >= r.wake_us) return;
  r.scheduled = true;
  r.wake_us = at;
  ++r.plan;
  if (at <= now_us) {
    ready_.push_back(&r);
  } else {
    ++r.sleepers;
    sleeping_.push(Sleeper{at, &r, r.plan});
  }
}

std::optional<std::string> QueryEngine::submit(Task task, std::uint64_t now_us) {
  std::string error;
  if (!wire::name_to_wire(task.qname, scratch_wire_, &error)) return error;
  if (task.resolver.family == 0) return std::string("task without a resolver address");
  ++stats_.submitted;
  longest_pace_us_ = std::max(longest_pace_us_, pace_us(task));
  auto [it, inserted] = resolvers_.try_emplace(task.resolver, config_, now_us);
  ResolverState& r = it->second;
  PendingTask item;
  item.dedupe_key = dedupe_key(task.resolver, scratch_wire_, task.qtype);
  bool urgent = task.urgent;
  item.task = std::move(task);
  pending_.push(r.queue, std::move(item), urgent);
  schedule(r, now_us);
  return std::nullopt;
}

void QueryEngine::dispatch(std::uint64_t now_us) {
  while (!sleeping_.empty() && sleeping_.top().wake_us <= now_us) {
    Sleeper s = sleeping_.top();
    sleeping_.pop();
    --s.resolver->sleepers;
    if (s.resolver->scheduled && s.resolver->plan == s.plan) ready_.push_back(s.resolver);
  }
  global_wake_us_ = 0;
  while (in_flight_ < config_.max_in_flight && !ready_.empty()) {
    std::uint64_t global_at = global_.next_available_us(now_us);
    if (global_at > now_us) {
      global_wake_us_ = global_at;
      break;
    }
    ResolverState& r = *ready_.front();
    ready_.pop_front();
    r.scheduled = false;
    // Twins of an outstanding query wait aside until it completes.
    while (r.queue.size > 0 && outstanding_.contains(pending_.front(r.queue).dedupe_key)) {
      PendingTask twin = pending_.pop(r.queue);
      blocked_.emplace(twin.dedupe_key, std::move(twin));
    }
    if (r.queue.size == 0) continue;
    // A task slower than the engine (a unit asking less than the vantage's cap) keeps its own
    // pace on top of the shared bucket.
    if (paced_until_us(r) > now_us || !r.bucket.try_take(now_us)) {
      schedule(r, now_us);
      continue;
    }
    global_.try_take(now_us);
    start_query(pending_.pop(r.queue), r, now_us);
    schedule(r, now_us);
  }
}

std::size_t QueryEngine::drop_queued() {
  std::size_t dropped = blocked_.size();
  blocked_.clear();
  for (auto& [endpoint, r] : resolvers_) {
    while (r.queue.size > 0) {
      pending_.pop(r.queue);
      ++dropped;
    }
    r.scheduled = false;  // a sleeper still pointing here is stale from now on
  }
  ready_.clear();
  return dropped;
}

void QueryEngine::forget_idle_resolvers(std::uint64_t now_us) {
  // Per-resolver state is kept while its bucket still limits anything; a sweep over a million
  // resolvers must not keep a million buckets. Amortised: only when the map has doubled.
  if (resolvers_.size() < 4096 || resolvers_.size() < 2 * resolvers_after_cleanup_) return;
  if (now_us - last_cleanup_us_ < cleanup_interval_us) return;
  last_cleanup_us_ = now_us;
  for (auto it = resolvers_.begin(); it != resolvers_.end();) {
    const ResolverState& r = it->second;
    if (!r.scheduled && r.sleepers == 0 && r.queue.size == 0 && r.active == 0 && r.bucket.at_rest(now_us) &&
        (!r.sent || now_us - r.last_sent_us >= longest_pace_us_))
      it = resolvers_.erase(it);
    else
      ++it;
  }
  resolvers_after_cleanup_ = resolvers_.size();
}

// ---- one query ------------------------------------------------------------------------------

std::uint64_t QueryEngine::handle_of(std::uint32_t index) const {
  return (static_cast<std::uint64_t>(slots_[index].generation) << 32) | index;
}

QueryEngine::Slot* QueryEngine::slot_for(std::uint64_t handle) {
  auto index = static_cast<std::uint32_t>(handle);
  if (index >= slots_.size()) return nullptr;
  Slot& s = slots_[index];
  if (s.state == State::free || s.generation != static_cast<std::uint32_t>(handle >> 32)) return nullptr;
  return &s;
}

void QueryEngine::start_query(PendingTask&& item, ResolverState& r, std::uint64_t now_us) {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[index];
  ++s.generation;
  s.state = State::waiting_udp;
  s.task = std::move(item.task);
  wire::name_to_wire(s.task.qname, s.qname_wire);  // checked on intake; reuses the slot's buffer
  s.dedupe_key = item.dedupe_key;
  s.resolver = &r;
  s.attempts = 0;
  s.key_count = 0;
  s.answered_us = 0;
  s.unsolicited = 0;
  s.malformed_reason.clear();
  s.token_reserved = false;
  if (s.observation) observations_.give_back(std::move(s.observation));
  ++used_slots_;
  ++in_flight_;
  ++r.active;
  outstanding_.add(s.dedupe_key);
  send_udp_attempt(index, now_us);
}

void QueryEngine::send_udp_attempt(std::uint32_t index, std::uint64_t now_us) {
  Slot& s = slots_[index];
  // A fresh ID and source socket for every attempt (RFC 5452 section 9.2); earlier attempts
  // stay registered so that a late answer to one of them is still accepted.
  std::uint32_t key = 0;
  for (int tries = 0;; ++tries) {
    std::uint32_t socket = random_.uniform(config_.udp_sockets);
    std::uint16_t id = static_cast<std::uint16_t>(random_.next_u32());
    key = (socket << 16) | id;
    if (!udp_keys_.contains(key)) break;
    if (tries > 64) return finish(index, Outcome::network_error, "no free query ID", now_us);
  }
  udp_keys_.insert(key, index);
  s.keys[s.key_count] = key;
  s.sent_us[s.key_count] = now_us;
  ++s.key_count;
  ++s.attempts;
  wire::QueryFields fields;
  fields.id = static_cast<std::uint16_t>(key & 0xffff);
  fields.qtype = s.task.qtype;
  fields.recursion_desired = s.task.recursion_desired;
  fields.dnssec_ok = config_.dnssec_ok;
  fields.udp_size = config_.udp_size;
  wire::build_query(s.qname_wire, fields, scratch_);
  arm(index, now_us + timeout_ms_of(s.task) * 1000ull);
  s.resolver->last_sent_us = now_us;
  s.resolver->sent = true;
  ++stats_.packets_sent;
  io_.send_udp(handle_of(index), key >> 16, s.task.resolver, scratch_);
}

void QueryEngine::switch_to_tcp(std::uint32_t index, std::uint64_t now_us) {
  Slot& s = slots_[index];
  s.state = State::waiting_tcp;
  ++s.attempts;
  ++stats_.tcp_fallbacks;
  s.tcp_id = static_cast<std::uint16_t>(random_.next_u32());
  s.tcp_sent_us = now_us;
  wire::QueryFields fields;
  fields.id = s.tcp_id;
  fields.qtype = s.task.qtype;
  fields.recursion_desired = s.task.recursion_desired;
  fields.dnssec_ok = config_.dnssec_ok;
  fields.udp_size = config_.udp_size;
  wire::build_query(s.qname_wire, fields, scratch_);
  arm(index, now_us + timeout_ms_of(s.task) * 1000ull);
  s.resolver->last_sent_us = now_us;
  s.resolver->sent = true;
  io_.start_tcp(handle_of(index), s.task.resolver, scratch_);
}

void QueryEngine::on_timeout(std::uint32_t index, std::uint64_t now_us) {
  Slot& s = slots_[index];
  if (s.state == State::waiting_tcp) {
    io_.cancel_tcp(handle_of(index));
    return finish(index, Outcome::timeout, "no TCP answer", now_us);
  }
  if (s.attempts < retries_of(s.task) + 1) return retransmit(index, now_us);
  if (!s.malformed_reason.empty()) return finish(index, Outcome::malformed, s.malformed_reason, now_us);
  finish(index, Outcome::timeout, {}, now_us);
}

void QueryEngine::reject_malformed(std::uint32_t index, std::string reason, std::uint64_t now_us) {
  Slot& s = slots_[index];
  s.malformed_reason = std::move(reason);
  if (s.state == State::waiting_tcp) return finish(index, Outcome::malformed, s.malformed_reason, now_us);
  // A broken answer from the right address, port and ID: ask again at once rather than wait
  // for the timeout; when the attempts are spent the query is malformed.
  if (s.attempts < retries_of(s.task) + 1) return retransmit(index, now_us);
  finish(index, Outcome::malformed, s.malformed_reason, now_us);
}

void QueryEngine::retransmit(std::uint32_t index, std::uint64_t now_us) {
  Slot& s = slots_[index];
  if (!s.token_reserved) {
    // The token is taken now (in debt if need be, so that new queries wait behind it), and
    // the attempt goes once the debt is paid: a resolver never gets more than its rate,
    // retransmissions included. Sent at once, a retransmission could follow a new query
    // within microseconds (measured: 28 queries in one second at 25 per second, tests/faults/).
    ++stats_.retransmits;
    s.resolver->bucket.force_take(now_us);
    global_.force_take(now_us);
    const std::uint64_t pace = pace_us(s.task);
    const std::uint64_t at = std::max({s.resolver->bucket.paid_up_us(now_us), global_.paid_up_us(now_us),
                                       pace > 0 && s.resolver->sent ? s.resolver->last_sent_us + pace : 0});
    if (at > now_us) {
      s.token_reserved = true;
      return arm(index, at);  // the attempt before listens on meanwhile: its answer still counts
    }
  }
  s.token_reserved = false;
  send_udp_attempt(index, now_us);
}

void QueryEngine::arm(std::uint32_t index, std::uint64_t deadline_us) {
  disarm(index);
  Slot& s = slots_[index];
  s.deadline_us = deadline_us;
  s.armed = true;
  // Kept in deadline order. With one timeout for every task a new deadline is the latest and
  // goes to the back at once; a task with a shorter timeout than those before it (units of
  // several sweeps on one engine) walks back past the later deadlines.
  std::uint32_t after = waiting_tail_;
  while (after != none && slots_[after].deadline_us > deadline_us) after = slots_[after].prev;
  s.prev = after;
  s.next = after != none ? slots_[after].next : waiting_head_;
  if (after != none)
    slots_[after].next = index;
  else
    waiting_head_ = index;
  if (s.next != none)
    slots_[s.next].prev = index;
  else
    waiting_tail_ = index;
}

void QueryEngine::disarm(std::uint32_t index) {
  Slot& s = slots_[index];
  if (!s.armed) return;
  s.armed = false;
  if (s.prev != none)
    slots_[s.prev].next = s.next;
  else
    waiting_head_ = s.next;
  if (s.next != none)
    slots_[s.next].prev = s.prev;
  else
    waiting_tail_ = s.prev;
  s.prev = s.next = none;
}

void QueryEngine::leave_flight(Slot& s) {
  disarm(static_cast<std::uint32_t>(&s - slots_.data()));
  --in_flight_;
  if (outstanding_.remove(s.dedupe_key)) {
    // A twin that waited for this query may go now, ahead of the resolver's queue.
    auto twin = blocked_.find(s.dedupe_key);
    if (twin != blocked_.end()) {
      PendingTask item = std::move(twin->second);
      blocked_.erase(twin);
      pending_.push(s.resolver->queue, std::move(item), true);
    }
  }
}

Observation& QueryEngine::observation_of(Slot& s) {
  if (s.observation) return *s.observation;
  if (renderer_) return render_scratch_;
  s.observation = observations_.take();
  return *s.observation;
}

void QueryEngine::accept_answer(std::uint32_t index, ParsedResponse& r, Transport transport,
                                std::uint64_t sent_us, std::uint64_t now_us) {
  Slot& s = slots_[index];
  Observation& o = observation_of(s);
  o.outcome = Outcome::answer;
  o.rcode = r.rcode;
  o.flags = r.flags;
  // Swapped, not moved: the parser gets the observation's old records back and reuses their
  // memory for the next response.
  o.answers.swap(r.answers);
  o.rrsigs.swap(r.rrsigs);
  o.authority.swap(r.authority);
  o.edns = r.edns;
  o.transport = transport;
  o.rtt_ms = static_cast<double>(now_us - sent_us) / 1000.0;
  s.answered_us = now_us;
  ++stats_.answered;
  leave_flight(s);
  s.state = State::answered;  // out of flight; finish() must not leave it twice
  if (transport == Transport::tcp || config_.linger_ms == 0) return finish(index, Outcome::answer, {}, now_us);
  start_linger(index, o, now_us);
}

void QueryEngine::finish(std::uint32_t index, Outcome outcome, std::string error, std::uint64_t now_us) {
  Slot& s = slots_[index];
  if (s.state == State::waiting_udp || s.state == State::waiting_tcp) {
    leave_flight(s);
    switch (outcome) {
      case Outcome::timeout: ++stats_.timeouts; break;
      case Outcome::malformed: ++stats_.malformed; break;
      case Outcome::network_error: ++stats_.network_errors; break;
      case Outcome::answer: break;
      case Outcome::not_asked: break;  // refused before the engine: never in flight
    }
  }
  for (std::uint8_t i = 0; i < s.key_count; ++i) udp_keys_.erase(s.keys[i]);
  s.key_count = 0;
  Observation& o = observation_of(s);
  if (outcome != Outcome::answer && renderer_ && !s.observation) {
    // The scratch observation may hold an earlier answer.
    o.rcode = -1;
    o.flags = HeaderFlags{};
    o.answers.clear();
    o.rrsigs.clear();
    o.authority.clear();
    o.edns = Edns{};
    o.rtt_ms = 0;
    o.transport = Transport::udp;
  }
  take_task(s, o);
  o.outcome = outcome;
  o.error = std::move(error);
  o.attempts = s.attempts;
  o.unsolicited = s.unsolicited;
  o.extra_responses.clear();
  std::uint64_t at = outcome == Outcome::answer ? s.answered_us : now_us;
  o.time_ms = (static_cast<std::int64_t>(at) + config_.wall_clock_offset_us) / 1000;
  std::unique_ptr<Observation> owner = std::move(s.observation);
  release_slot(index, now_us);
  deliver(o, owner);
}

void QueryEngine::release_slot(std::uint32_t index, std::uint64_t now_us) {
  Slot& s = slots_[index];
  ResolverState& r = *s.resolver;
  --r.active;
  s.state = State::free;
  s.resolver = nullptr;
  free_slots_.push_back(index);
  --used_slots_;
  schedule(r, now_us);
}

void QueryEngine::deliver(Observation& o, std::unique_ptr<Observation>& owner) {
  if (renderer_) {
    text_scratch_.clear();
    renderer_->render_head(text_scratch_, o);
    renderer_->render_tail(text_scratch_, o);
    renderer_->emit(text_scratch_);
  } else {
    sink_(std::move(o));
  }
  if (owner) observations_.give_back(std::move(owner));
}

void QueryEngine::count_unsolicited(const Endpoint& from, std::uint32_t* counter) {
  ++stats_.unsolicited;
  if (counter) ++*counter;
  Endpoint source = from;
  source.port = 0;
  auto it = unsolicited_by_source_.find(source);
  if (it != unsolicited_by_source_.end()) {
    ++it->second;
  } else if (unsolicited_by_source_.size() < max_unsolicited_sources) {
    unsolicited_by_source_.emplace(source, 1);
  }
}

// ---- events from the I/O layer --------------------------------------------------------------

void QueryEngine::on_udp_datagram(std::uint32_t socket, const Endpoint& from,
                                  std::span<const std::uint8_t> data, std::uint64_t now_us) {
  if (data.size() < 2) return count_unsolicited(from, nullptr);
  std::uint32_t key = (socket << 16) | wire::read_u16(data.data());
  std::uint32_t index = udp_keys_.find(key);
  if (index == QueryIdTable::empty) return count_unsolicited(from, nullptr);
  if (index & linger_tag) {
    Lingering* l = lingering_for(index);
    if (l == nullptr) return count_unsolicited(from, nullptr);
    return on_lingering_datagram(*l, from, data, now_us);
  }
  Slot& s = slots_[index];
  if (!(s.task.resolver == from)) return count_unsolicited(from, &s.unsolicited);
  auto question = wire::check_question(data, s.qname_wire, s.task.qtype);
  if (question != wire::QuestionCheck::match && question != wire::QuestionCheck::error_without_question &&
      question != wire::QuestionCheck::too_short)
    return count_unsolicited(from, &s.unsolicited);
  if (s.state == State::waiting_tcp) return;  // the UDP answer was truncated; TCP decides
  std::string why = question == wire::QuestionCheck::too_short ? wire::to_string(question)
                                                               : wire::check_structure(data);
  if (!why.empty() || !parse_response(data, parsed_, &why)) return reject_malformed(index, std::move(why), now_us);
  if (parsed_.truncated()) return switch_to_tcp(index, now_us);
  std::uint64_t sent_us = s.sent_us[0];
  for (std::uint8_t i = 0; i < s.key_count; ++i)
    if (s.keys[i] == key) sent_us = s.sent_us[i];
  if (s.task.keep_message) {
    if (!s.observation) s.observation = observations_.take();
    s.observation->message.assign(data.begin(), data.end());
  }
  accept_answer(index, parsed_, Transport::udp, sent_us, now_us);
}

void QueryEngine::on_udp_datagrams(std::uint32_t socket, std::span<const UdpDatagram> batch,
                                   std::uint64_t now_us) {
  auto key_of = [socket](const UdpDatagram& d) { return (socket << 16) | wire::read_u16(d.data.data()); };
  for (const UdpDatagram& d : batch)
    if (d.data.size() >= 2) udp_keys_.prefetch(key_of(d));
  for (const UdpDatagram& d : batch) {
    if (d.data.size() < 2) continue;
    std::uint32_t index = udp_keys_.find(key_of(d));
    if (index == QueryIdTable::empty || (index & linger_tag) || index >= slots_.size()) continue;
    const char* slot = reinterpret_cast<const char*>(&slots_[index]);
    __builtin_prefetch(slot);
    __builtin_prefetch(slot + 64);
  }
  for (const UdpDatagram& d : batch) on_udp_datagram(socket, d.from, d.data, now_us);
}

void QueryEngine::on_udp_send_error(std::uint64_t handle, const std::string& reason, std::uint64_t now_us) {
  Slot* s = slot_for(handle);
  if (s == nullptr || s->state != State::waiting_udp) return;
  finish(static_cast<std::uint32_t>(handle), Outcome::network_error, "send: " + reason, now_us);
}

void QueryEngine::on_tcp_message(std::uint64_t handle, std::span<const std::uint8_t> data, std::uint64_t now_us) {
  Slot* s = slot_for(handle);
  if (s == nullptr || s->state != State::waiting_tcp) return;
  auto index = static_cast<std::uint32_t>(handle);
  if (data.size() < 2 || wire::read_u16(data.data()) != s->tcp_id)
    return finish(index, Outcome::malformed, "TCP answer with a different ID", now_us);
  auto question = wire::check_question(data, s->qname_wire, s->task.qtype);
  if (question != wire::QuestionCheck::match && question != wire::QuestionCheck::error_without_question)
    return finish(index, Outcome::malformed, std::string("TCP answer: ") + wire::to_string(question), now_us);
  std::string why = wire::check_structure(data);
  if (!why.empty() || !parse_response(data, parsed_, &why))
    return finish(index, Outcome::malformed, "TCP answer: " + why, now_us);
  if (s->task.keep_message) {
    if (!s->observation) s->observation = observations_.take();
    s->observation->message.assign(data.begin(), data.end());
  }
  accept_answer(index, parsed_, Transport::tcp, s->tcp_sent_us, now_us);
}

void QueryEngine::on_tcp_error(std::uint64_t handle, const std::string& reason, std::uint64_t now_us) {
  Slot* s = slot_for(handle);
  if (s == nullptr || s->state != State::waiting_tcp) return;
  finish(static_cast<std::uint32_t>(handle), Outcome::network_error, "tcp: " + reason, now_us);
}

// ---- time -----------------------------------------------------------------------------------

void QueryEngine::advance(std::uint64_t now_us) {
  while (waiting_head_ != none && slots_[waiting_head_].deadline_us <= now_us) {
    std::uint32_t index = waiting_head_;
    disarm(index);
    on_timeout(index, now_us);  // sends the next attempt (armed again) or finishes
  }
  expire_lingers(now_us);
  dispatch(now_us);
  forget_idle_resolvers(now_us);
}

std::optional<std::uint64_t> QueryEngine::next_wakeup_us() const {
  std::optional<std::uint64_t> at;
  auto consider = [&at](std::uint64_t t) {
    if (!at || t < *at) at = t;
  };
  if (waiting_head_ != none) consider(slots_[waiting_head_].deadline_us);
  if (!lingers_.empty()) consider(lingers_.at(lingers_.head()).answered_us + config_.linger_ms * 1000ull);
  if (!sleeping_.empty()) consider(sleeping_.top().wake_us);
  if (global_wake_us_ != 0 && !ready_.empty()) consider(global_wake_us_);
  return at;
}

}  // namespace mxsentry
