#include "prober/core/query_engine.h"

#include <algorithm>
#include <cstring>

#include "protocol/dns/dns_wire.h"
#include "prober/core/siphash.h"

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

void append_u32(std::string& out, std::uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
  out.append(b, 4);
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
  for (auto& k : digest_key_) k = (static_cast<std::uint64_t>(random_.next_u32()) << 32) | random_.next_u32();
}

QueryEngine::~QueryEngine() = default;

// ---- the set of outstanding dedupe keys ------------------------------------------------------

bool QueryEngine::OutstandingSet::contains(std::uint64_t key) const {
  if (used_ == 0) return false;
  const std::size_t mask = cells_.size() - 1;
  for (std::size_t i = home(key);; i = (i + 1) & mask) {
    if (cells_[i].count == 0) return false;
    if (cells_[i].key == key) return true;
  }
}

void QueryEngine::OutstandingSet::add(std::uint64_t key) {
  if (2 * (used_ + 1) > cells_.size()) grow();
  const std::size_t mask = cells_.size() - 1;
  for (std::size_t i = home(key);; i = (i + 1) & mask) {
    Cell& c = cells_[i];
    if (c.count == 0) {
      c.key = key;
      c.count = 1;
      ++used_;
      return;
    }
    if (c.key == key) {
      ++c.count;
      return;
    }
  }
}

bool QueryEngine::OutstandingSet::remove(std::uint64_t key) {
  if (used_ == 0) return false;
  const std::size_t mask = cells_.size() - 1;
  std::size_t i = home(key);
  for (;; i = (i + 1) & mask) {
    if (cells_[i].count == 0) return false;
    if (cells_[i].key == key) break;
  }
  if (--cells_[i].count > 0) return false;
  --used_;
  // Backward-shift deletion: no tombstones, probe sequences stay short.
  for (std::size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
    if (cells_[j].count == 0) break;
    std::size_t h = home(cells_[j].key);
    // Move cell j into the hole at i unless its home lies cyclically in (i, j].
    bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
    if (stays) continue;
    cells_[i] = cells_[j];
    cells_[j] = Cell{};
    i = j;
  }
  cells_[i] = Cell{};
  return true;
}

void QueryEngine::OutstandingSet::grow() {
  std::vector<Cell> old = std::move(cells_);
  std::size_t size = old.empty() ? 64 : 2 * old.size();
  cells_.assign(size, Cell{});
  shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(size));
  const std::size_t mask = size - 1;
  for (const Cell& c : old) {
    if (c.count == 0) continue;
    std::size_t i = home(c.key);
    while (cells_[i].count != 0) i = (i + 1) & mask;
    cells_[i] = c;
  }
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
  if (s.observation) recycle(std::move(s.observation));
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
  arm(index, now_us + config_.timeout_ms * 1000ull);
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
  arm(index, now_us + config_.timeout_ms * 1000ull);
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

void QueryEngine::arm(std::uint32_t index, std::uint64_t deadline_us) {
  disarm(index);
  Slot& s = slots_[index];
  s.deadline_us = deadline_us;
  s.armed = true;
  s.prev = waiting_tail_;
  s.next = none;
  if (waiting_tail_ != none)
    slots_[waiting_tail_].next = index;
  else
    waiting_head_ = index;
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
      PendingNode item = std::move(twin->second);
      blocked_.erase(twin);
      push_pending(*s.resolver, std::move(item), true);
    }
  }
}

Observation& QueryEngine::observation_of(Slot& s) {
  if (s.observation) return *s.observation;
  if (renderer_) return render_scratch_;
  s.observation = new_observation();
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

void QueryEngine::start_linger(std::uint32_t index, Observation& o, std::uint64_t now_us) {
  Slot& s = slots_[index];
  o.resolver = s.task.resolver;
  if (renderer_)
    o.qname.assign(s.task.qname);  // into the scratch observation's memory
  else
    o.qname = std::move(s.task.qname);
  o.qtype = s.task.qtype;
  o.task_index = s.task.index;
  o.error.clear();
  o.attempts = s.attempts;
  o.unsolicited = s.unsolicited;
  o.time_ms = (static_cast<std::int64_t>(now_us) + config_.wall_clock_offset_us) / 1000;
  o.extra_responses.clear();

  // The text: the question name (to check later answers against) and, with a renderer, the
  // line, rendered now while the answer is in cache.
  std::uint32_t head = 0;
  text_scratch_.clear();
  if (renderer_) {
    renderer_->render_head(text_scratch_, o);
    head = static_cast<std::uint32_t>(text_scratch_.size());
    renderer_->render_tail(text_scratch_, o);
  }
  const std::size_t wire_size = s.qname_wire.size();
  std::uint64_t chunk = 0;
  char* at = reserve_text(wire_size + text_scratch_.size(), chunk);
  std::memcpy(at, s.qname_wire.data(), wire_size);
  if (!text_scratch_.empty()) std::memcpy(at + wire_size, text_scratch_.data(), text_scratch_.size());

  if (lingering() + 1 > lingers_.size()) grow_lingers();
  const std::uint32_t seq = linger_tail_++;
  Lingering& l = lingers_[seq & (lingers_.size() - 1)];
  l.seq = seq;
  l.answered_us = now_us;
  l.digest = answer_digest(o.rcode, o.answers);
  l.text = at;
  l.text_chunk = chunk;
  l.task_index = s.task.index;
  l.resolver_state = s.resolver;
  l.resolver = s.task.resolver;
  l.qtype = s.task.qtype;
  l.wire_size = static_cast<std::uint16_t>(wire_size);
  l.line_size = static_cast<std::uint32_t>(text_scratch_.size());
  l.head_size = head;
  l.unsolicited = l.unsolicited_rendered = s.unsolicited;
  l.key_count = s.key_count;
  const std::uint32_t tagged = linger_tag | (seq & linger_seq_mask);
  for (std::uint8_t i = 0; i < s.key_count; ++i) {
    l.keys[i] = s.keys[i];
    udp_keys_.insert(s.keys[i], tagged);
  }
  s.key_count = 0;  // the keys belong to the lingering record now
  if (renderer_) {
    if (s.observation) recycle(std::move(s.observation));  // it only kept the message
  } else {
    l.observation = std::move(s.observation);
  }

  // The slot is free again; the resolver stays active until the linger ends.
  s.state = State::free;
  s.resolver = nullptr;
  free_slots_.push_back(index);
  --used_slots_;
  schedule(*l.resolver_state, now_us);
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
  o.resolver = s.task.resolver;
  if (renderer_)
    o.qname.assign(s.task.qname);  // into the scratch observation's memory
  else
    o.qname = std::move(s.task.qname);
  o.qtype = s.task.qtype;
  o.task_index = s.task.index;
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
  if (owner) recycle(std::move(owner));
}

void QueryEngine::recycle(std::unique_ptr<Observation> o) {
  if (observation_pool_.size() < 4096) {
    *o = Observation{};
    observation_pool_.push_back(std::move(o));
  }
}

std::unique_ptr<Observation> QueryEngine::new_observation() {
  if (observation_pool_.empty()) return std::make_unique<Observation>();
  std::unique_ptr<Observation> o = std::move(observation_pool_.back());
  observation_pool_.pop_back();
  return o;
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

// ---- lingering queries ----------------------------------------------------------------------

std::uint64_t QueryEngine::answer_digest(int rcode, const std::vector<ResourceRecord>& answers) {
  // Equal for the same rcode and the same multiset of (name, type, rdata): the order of the
  // records and their TTLs do not count, as a resolver answering two retransmissions differs
  // only in TTL. The records' keyed hashes are summed, which ignores their order. The key
  // (SipHash-2-4, siphash.h) is a secret drawn at start, so that an injected answer cannot be
  // crafted to collide with the genuine one.
  std::uint64_t sum = 0;
  std::string& b = digest_scratch_;
  for (const ResourceRecord& r : answers) {
    b.clear();
    append_u32(b, static_cast<std::uint32_t>(r.name.size()));
    b += r.name;
    append_u32(b, r.type);
    b += r.rdata;
    sum += siphash24(digest_key_, b.data(), b.size());
  }
  b.clear();
  append_u32(b, static_cast<std::uint32_t>(rcode));
  append_u32(b, static_cast<std::uint32_t>(answers.size()));
  append_u32(b, static_cast<std::uint32_t>(sum));
  append_u32(b, static_cast<std::uint32_t>(sum >> 32));
  return siphash24(digest_key_, b.data(), b.size());
}

void QueryEngine::grow_lingers() {
  std::size_t size = lingers_.empty() ? 1024 : 2 * lingers_.size();
  std::vector<Lingering> grown(size);
  for (std::uint32_t seq = linger_head_; seq != linger_tail_; ++seq)
    grown[seq & (size - 1)] = std::move(lingers_[seq & (lingers_.size() - 1)]);
  lingers_ = std::move(grown);
}

QueryEngine::Lingering* QueryEngine::lingering_for(std::uint32_t tagged) {
  if (lingers_.empty()) return nullptr;
  const std::uint32_t low = tagged & linger_seq_mask;
  Lingering& l = lingers_[low & (lingers_.size() - 1)];
  if ((l.seq & linger_seq_mask) != low || l.seq - linger_head_ >= lingering()) return nullptr;
  return &l;
}

char* QueryEngine::reserve_text(std::size_t size, std::uint64_t& chunk) {
  if (text_chunks_.empty() || text_used_ + size > text_chunks_.back().size) {
    TextChunk c;
    if (!spare_chunks_.empty() && spare_chunks_.back().size >= size) {
      c = std::move(spare_chunks_.back());
      spare_chunks_.pop_back();
    } else {
      c.size = std::max(text_chunk_size, size);
      c.data.reset(new char[c.size]);
    }
    text_chunks_.push_back(std::move(c));
    text_used_ = 0;
  }
  chunk = text_front_chunk_ + text_chunks_.size() - 1;
  char* at = text_chunks_.back().data.get() + text_used_;
  text_used_ += size;
  return at;
}

void QueryEngine::release_text(std::uint64_t chunk) {
  // Every chunk before the one holding the oldest lingering query's text is done with.
  while (!text_chunks_.empty() && text_front_chunk_ < chunk) {
    TextChunk c = std::move(text_chunks_.front());
    text_chunks_.pop_front();
    ++text_front_chunk_;
    if (spare_chunks_.size() < 2 && c.size == text_chunk_size) spare_chunks_.push_back(std::move(c));
  }
}

void QueryEngine::on_lingering_datagram(Lingering& l, const Endpoint& from, std::span<const std::uint8_t> data,
                                        std::uint64_t now_us) {
  if (!(l.resolver == from)) return count_unsolicited(from, &l.unsolicited);
  std::string_view qname_wire(l.text, l.wire_size);
  auto question = wire::check_question(data, qname_wire, l.qtype);
  if (question != wire::QuestionCheck::match && question != wire::QuestionCheck::error_without_question)
    return count_unsolicited(from, &l.unsolicited);
  std::string why = wire::check_structure(data);
  if (!why.empty() || !parse_response(data, parsed_, &why)) return count_unsolicited(from, &l.unsolicited);
  if (answer_digest(parsed_.rcode, parsed_.answers) == l.digest) return;
  ++stats_.extra_responses;
  if (!l.observation) l.observation = new_observation();
  l.observation->extra_responses.push_back(
      ExtraResponse{parsed_.rcode, parsed_.answers, static_cast<double>(now_us - l.answered_us) / 1000.0});
}

void QueryEngine::expire_lingers(std::uint64_t now_us) {
  const std::uint64_t linger_us = config_.linger_ms * 1000ull;
  while (linger_head_ != linger_tail_) {
    Lingering& l = lingers_[linger_head_ & (lingers_.size() - 1)];
    if (l.answered_us + linger_us > now_us) break;
    ++linger_head_;
    for (std::uint8_t i = 0; i < l.key_count; ++i) udp_keys_.erase(l.keys[i]);
    ResolverState& r = *l.resolver_state;
    --r.active;
    std::unique_ptr<Observation> owner = std::move(l.observation);
    if (renderer_) {
      const char* text = l.text + l.wire_size;
      if (!owner && l.unsolicited == l.unsolicited_rendered) {
        renderer_->emit(std::string_view(text, l.line_size));
      } else {
        // Something changed while it lingered: the same head, a new tail.
        Observation& o = owner ? *owner : render_scratch_;
        if (!owner) o.extra_responses.clear();
        o.unsolicited = l.unsolicited;
        o.task_index = l.task_index;
        o.error.clear();
        text_scratch_.assign(text, l.head_size);
        renderer_->render_tail(text_scratch_, o);
        renderer_->emit(text_scratch_);
      }
    } else {
      owner->unsolicited = l.unsolicited;
      sink_(std::move(*owner));
    }
    if (owner) recycle(std::move(owner));
    schedule(r, now_us);
  }
  // The text of what is still lingering starts in the chunk of the oldest.
  if (linger_head_ != linger_tail_)
    release_text(lingers_[linger_head_ & (lingers_.size() - 1)].text_chunk);
  else
    release_text(text_front_chunk_ + text_chunks_.size() - 1);
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
    if (!s.observation) s.observation = new_observation();
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
    if (!s->observation) s->observation = new_observation();
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
  if (lingering() > 0)
    consider(lingers_[linger_head_ & (lingers_.size() - 1)].answered_us + config_.linger_ms * 1000ull);
  if (!sleeping_.empty()) consider(sleeping_.top().wake_us);
  if (global_wake_us_ != 0 && !ready_.empty()) consider(global_wake_us_);
  return at;
}

}  // namespace mxsentry
