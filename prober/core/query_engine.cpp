#include "prober/core/query_engine.h"

#include <algorithm>
#include <cstring>

#include "prober/core/dns_wire.h"

namespace mxsentry {

namespace {

constexpr std::size_t max_unsolicited_sources = 65536;
constexpr std::uint64_t cleanup_interval_us = 1'000'000;

std::uint64_t mix64(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

// Identity of (resolver, qname, qtype), names compared case-insensitively. A hash collision
// only makes one task wait for another; it never merges results.
std::uint64_t dedupe_key(const Endpoint& resolver, std::string_view qname_wire, std::uint16_t qtype) {
  std::uint64_t h = EndpointHash{}(resolver);
  for (unsigned char c : qname_wire) h = mix64(h, (c >= 'A' && c <= 'Z') ? c + 32 : c);
  return mix64(h, qtype);
}

bool same_content(const Observation& first, const ParsedResponse& other) {
  if (first.rcode != other.rcode || first.answers.size() != other.answers.size()) return false;
  // TTLs are left out: one resolver answering two retransmissions differs only in TTL.
  auto key = [](const ResourceRecord& r) { return std::tie(r.name, r.type, r.rdata); };
  std::vector<const ResourceRecord*> a, b;
  for (const auto& r : first.answers) a.push_back(&r);
  for (const auto& r : other.answers) b.push_back(&r);
  auto less = [&](const ResourceRecord* x, const ResourceRecord* y) { return key(*x) < key(*y); };
  std::sort(a.begin(), a.end(), less);
  std::sort(b.begin(), b.end(), less);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (key(*a[i]) != key(*b[i])) return false;
  return true;
}

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
      global_(config.global_qps, std::max(1.0, config.global_qps / 100.0), 0),
      udp_keys_(std::max<std::uint32_t>(1, config.udp_sockets)) {
  if (config_.intake_window == 0) config_.intake_window = 2 * config_.max_in_flight;
  config_.retries = std::min<std::uint32_t>(config_.retries, max_attempts - 1);
}

bool QueryEngine::wants_tasks() const {
  return queued_ + blocked_.size() + in_flight_ < config_.intake_window;
}

// ---- intake ---------------------------------------------------------------------------------

void QueryEngine::push_pending(ResolverState& r, PendingNode&& item, bool front) {
  std::uint32_t node;
  if (!free_pending_.empty()) {
    node = free_pending_.back();
    free_pending_.pop_back();
    pending_[node] = std::move(item);
  } else {
    node = static_cast<std::uint32_t>(pending_.size());
    pending_.push_back(std::move(item));
  }
  pending_[node].next = none;
  if (r.head == none) {
    r.head = r.tail = node;
  } else if (front) {
    pending_[node].next = r.head;
    r.head = node;
  } else {
    pending_[r.tail].next = node;
    r.tail = node;
  }
  ++r.queued;
  ++queued_;
}

QueryEngine::PendingNode QueryEngine::pop_pending(ResolverState& r) {
  std::uint32_t node = r.head;
  r.head = pending_[node].next;
  if (r.head == none) r.tail = none;
  --r.queued;
  --queued_;
  free_pending_.push_back(node);
  return std::move(pending_[node]);
}

void QueryEngine::schedule(ResolverState& r, std::uint64_t now_us) {
  if (r.scheduled || r.queued == 0) return;
  r.scheduled = true;
  std::uint64_t at = r.bucket.next_available_us(now_us);
  if (at <= now_us) {
    ready_.push_back(&r);
  } else {
    sleeping_.push(Sleeper{at, &r});
  }
}

std::optional<std::string> QueryEngine::submit(Task task, std::uint64_t now_us) {
  std::string error;
  if (!wire::name_to_wire(task.qname, scratch_wire_, &error)) return error;
  if (task.resolver.family == 0) return std::string("task without a resolver address");
  ++stats_.submitted;
  auto [it, inserted] = resolvers_.try_emplace(task.resolver, config_, now_us);
  ResolverState& r = it->second;
  PendingNode item;
  item.dedupe_key = dedupe_key(task.resolver, scratch_wire_, task.qtype);
  item.task = std::move(task);
  push_pending(r, std::move(item), false);
  schedule(r, now_us);
  return std::nullopt;
}

void QueryEngine::dispatch(std::uint64_t now_us) {
  while (!sleeping_.empty() && sleeping_.top().wake_us <= now_us) {
    ready_.push_back(sleeping_.top().resolver);
    sleeping_.pop();
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
    while (r.queued > 0 && outstanding_.contains(pending_[r.head].dedupe_key)) {
      PendingNode twin = pop_pending(r);
      blocked_.emplace(twin.dedupe_key, std::move(twin));
    }
    if (r.queued == 0) continue;
    if (!r.bucket.try_take(now_us)) {
      schedule(r, now_us);
      continue;
    }
    global_.try_take(now_us);
    start_query(pop_pending(r), r, now_us);
    schedule(r, now_us);
  }
}

void QueryEngine::forget_idle_resolvers(std::uint64_t now_us) {
  // Per-resolver state is kept while its bucket still limits anything; a sweep over a million
  // resolvers must not keep a million buckets. Amortised: only when the map has doubled.
  if (resolvers_.size() < 4096 || resolvers_.size() < 2 * resolvers_after_cleanup_) return;
  if (now_us - last_cleanup_us_ < cleanup_interval_us) return;
  last_cleanup_us_ = now_us;
  for (auto it = resolvers_.begin(); it != resolvers_.end();) {
    const ResolverState& r = it->second;
    if (!r.scheduled && r.queued == 0 && r.active == 0 && r.bucket.at_rest(now_us))
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

void QueryEngine::start_query(PendingNode&& item, ResolverState& r, std::uint64_t now_us) {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
    stamps_.push_back(0);
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
  s.observation.reset();
  ++used_slots_;
  ++in_flight_;
  ++r.active;
  ++outstanding_[s.dedupe_key];
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
  timeouts_.push_back(Timer{now_us + config_.timeout_ms * 1000ull, handle_of(index), ++s.timer_token});
  stamps_[index] = (static_cast<std::uint64_t>(s.generation) << 32) | s.timer_token;
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
  timeouts_.push_back(Timer{now_us + config_.timeout_ms * 1000ull, handle_of(index), ++s.timer_token});
  stamps_[index] = (static_cast<std::uint64_t>(s.generation) << 32) | s.timer_token;
  io_.start_tcp(handle_of(index), s.task.resolver, scratch_);
}

void QueryEngine::on_timeout(std::uint32_t index, std::uint64_t now_us) {
  Slot& s = slots_[index];
  if (s.state == State::waiting_tcp) {
    io_.cancel_tcp(handle_of(index));
    return finish(index, Outcome::timeout, "no TCP answer", now_us);
  }
  if (s.attempts < config_.retries + 1) {
    ++stats_.retransmits;
    s.resolver->bucket.force_take(now_us);
    global_.force_take(now_us);
    return send_udp_attempt(index, now_us);
  }
  if (!s.malformed_reason.empty()) return finish(index, Outcome::malformed, s.malformed_reason, now_us);
  finish(index, Outcome::timeout, {}, now_us);
}

void QueryEngine::reject_malformed(std::uint32_t index, std::string reason, std::uint64_t now_us) {
  Slot& s = slots_[index];
  s.malformed_reason = std::move(reason);
  if (s.state == State::waiting_tcp) return finish(index, Outcome::malformed, s.malformed_reason, now_us);
  // A broken answer from the right address, port and ID: ask again at once rather than wait
  // for the timeout; when the attempts are spent the query is malformed.
  if (s.attempts < config_.retries + 1) {
    ++stats_.retransmits;
    s.resolver->bucket.force_take(now_us);
    global_.force_take(now_us);
    return send_udp_attempt(index, now_us);
  }
  finish(index, Outcome::malformed, s.malformed_reason, now_us);
}

void QueryEngine::leave_flight(Slot& s) {
  --in_flight_;
  auto it = outstanding_.find(s.dedupe_key);
  if (it != outstanding_.end() && --it->second == 0) {
    outstanding_.erase(it);
    // A twin that waited for this query may go now, ahead of the resolver's queue.
    auto twin = blocked_.find(s.dedupe_key);
    if (twin != blocked_.end()) {
      PendingNode item = std::move(twin->second);
      blocked_.erase(twin);
      push_pending(*s.resolver, std::move(item), true);
    }
  }
}

void QueryEngine::accept_answer(std::uint32_t index, ParsedResponse&& r, Transport transport,
                                std::uint64_t sent_us, std::uint64_t now_us) {
  Slot& s = slots_[index];
  if (!s.observation) s.observation = new_observation();
  Observation& o = *s.observation;
  o.outcome = Outcome::answer;
  o.rcode = r.rcode;
  o.flags = r.flags;
  o.answers = std::move(r.answers);
  o.rrsigs = std::move(r.rrsigs);
  o.authority = std::move(r.authority);
  o.edns = r.edns;
  o.transport = transport;
  o.rtt_ms = static_cast<double>(now_us - sent_us) / 1000.0;
  s.answered_us = now_us;
  ++stats_.answered;
  leave_flight(s);
  s.state = State::lingering;  // out of flight; finish() must not leave it twice
  if (transport == Transport::tcp || config_.linger_ms == 0) return finish(index, Outcome::answer, {}, now_us);
  lingers_.push_back(Timer{now_us + config_.linger_ms * 1000ull, handle_of(index), ++s.timer_token});
  stamps_[index] = (static_cast<std::uint64_t>(s.generation) << 32) | s.timer_token;
  schedule(*s.resolver, now_us);
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
    }
  }
  for (std::uint8_t i = 0; i < s.key_count; ++i) udp_keys_.erase(s.keys[i]);
  if (!s.observation) s.observation = new_observation();
  Observation& o = *s.observation;
  o.resolver = s.task.resolver;
  o.qname = std::move(s.task.qname);
  o.qtype = s.task.qtype;
  o.task_index = s.task.index;
  o.outcome = outcome;
  o.error = std::move(error);
  o.attempts = s.attempts;
  o.unsolicited = s.unsolicited;
  std::uint64_t at = outcome == Outcome::answer ? s.answered_us : now_us;
  o.time_ms = (static_cast<std::int64_t>(at) + config_.wall_clock_offset_us) / 1000;
  std::unique_ptr<Observation> done = std::move(s.observation);
  ResolverState& r = *s.resolver;
  --r.active;
  s.state = State::free;
  s.resolver = nullptr;
  stamps_[index] = 0;
  free_slots_.push_back(index);
  --used_slots_;
  schedule(r, now_us);
  sink_(std::move(*done));
  if (observation_pool_.size() < 4096) {
    *done = Observation{};
    observation_pool_.push_back(std::move(done));
  }
}

std::unique_ptr<Observation> QueryEngine::new_observation() {
  if (observation_pool_.empty()) return std::make_unique<Observation>();
  std::unique_ptr<Observation> o = std::move(observation_pool_.back());
  observation_pool_.pop_back();
  return o;
}

void QueryEngine::count_unsolicited(const Endpoint& from, Slot* slot) {
  ++stats_.unsolicited;
  if (slot) ++slot->unsolicited;
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
  Slot& s = slots_[index];
  if (!(s.task.resolver == from)) return count_unsolicited(from, &s);
  auto question = wire::check_question(data, s.qname_wire, s.task.qtype);
  if (question != wire::QuestionCheck::match && question != wire::QuestionCheck::error_without_question &&
      question != wire::QuestionCheck::too_short)
    return count_unsolicited(from, &s);
  if (s.state == State::waiting_tcp) return;  // the UDP answer was truncated; TCP decides
  std::string why = question == wire::QuestionCheck::too_short ? wire::to_string(question)
                                                               : wire::check_structure(data);
  std::optional<ParsedResponse> parsed;
  if (why.empty()) parsed = parse_response(data, &why);
  if (!parsed) {
    if (s.state == State::lingering) return count_unsolicited(from, &s);
    return reject_malformed(index, std::move(why), now_us);
  }
  if (s.state == State::lingering) {
    if (same_content(*s.observation, *parsed)) return;
    ++stats_.extra_responses;
    s.observation->extra_responses.push_back(ExtraResponse{
        parsed->rcode, std::move(parsed->answers), static_cast<double>(now_us - s.answered_us) / 1000.0});
    return;
  }
  if (parsed->truncated()) return switch_to_tcp(index, now_us);
  std::uint64_t sent_us = s.sent_us[0];
  for (std::uint8_t i = 0; i < s.key_count; ++i)
    if (s.keys[i] == key) sent_us = s.sent_us[i];
  if (s.task.keep_message) {
    s.observation = new_observation();
    s.observation->message.assign(data.begin(), data.end());
  }
  accept_answer(index, std::move(*parsed), Transport::udp, sent_us, now_us);
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
  std::optional<ParsedResponse> parsed;
  if (why.empty()) parsed = parse_response(data, &why);
  if (!parsed) return finish(index, Outcome::malformed, "TCP answer: " + why, now_us);
  if (s->task.keep_message) {
    s->observation = new_observation();
    s->observation->message.assign(data.begin(), data.end());
  }
  accept_answer(index, std::move(*parsed), Transport::tcp, s->tcp_sent_us, now_us);
}

void QueryEngine::on_tcp_error(std::uint64_t handle, const std::string& reason, std::uint64_t now_us) {
  Slot* s = slot_for(handle);
  if (s == nullptr || s->state != State::waiting_tcp) return;
  finish(static_cast<std::uint32_t>(handle), Outcome::network_error, "tcp: " + reason, now_us);
}

// ---- time -----------------------------------------------------------------------------------

void QueryEngine::advance(std::uint64_t now_us) {
  auto fire = [&](std::deque<Timer>& timers, bool linger) {
    while (!timers.empty() && timers.front().deadline_us <= now_us) {
      Timer t = timers.front();
      timers.pop_front();
      auto index = static_cast<std::uint32_t>(t.handle);
      std::uint64_t stamp = ((t.handle >> 32) << 32) | t.token;
      if (index >= stamps_.size() || stamps_[index] != stamp) continue;  // superseded
      Slot* s = slot_for(t.handle);
      if (s == nullptr) continue;
      if (linger) {
        if (s->state == State::lingering) finish(index, Outcome::answer, {}, now_us);
      } else if (s->state == State::waiting_udp || s->state == State::waiting_tcp) {
        on_timeout(index, now_us);
      }
    }
  };
  fire(timeouts_, false);
  fire(lingers_, true);
  dispatch(now_us);
  forget_idle_resolvers(now_us);
}

std::optional<std::uint64_t> QueryEngine::next_wakeup_us() const {
  std::optional<std::uint64_t> at;
  auto consider = [&at](std::uint64_t t) {
    if (!at || t < *at) at = t;
  };
  if (!timeouts_.empty()) consider(timeouts_.front().deadline_us);
  if (!lingers_.empty()) consider(lingers_.front().deadline_us);
  if (!sleeping_.empty()) consider(sleeping_.top().wake_us);
  if (global_wake_us_ != 0 && !ready_.empty()) consider(global_wake_us_);
  return at;
}

}  // namespace mxsentry
