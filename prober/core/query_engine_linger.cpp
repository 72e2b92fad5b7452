// The query engine's linger phase: an accepted UDP answer frees its slot at once and listens
// on, as a compact record in a ring, for a second answer to the same query; a different one is
// evidence of on-path injection (an extra response). The records leave in acceptance order,
// when the linger ends, and the observation is delivered then.
#include <cstring>

#include "prober/core/query_engine.h"
#include "prober/core/siphash.h"
#include "protocol/dns/dns_wire.h"

namespace mxsentry {

namespace {

void append_u32(std::string& out, std::uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
  out.append(b, 4);
}

}  // namespace

void QueryEngine::start_linger(std::uint32_t index, Observation& o, std::uint64_t now_us) {
  Slot& s = slots_[index];
  take_task(s, o);
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
  char* at = linger_text_.reserve(wire_size + text_scratch_.size(), chunk);
  std::memcpy(at, s.qname_wire.data(), wire_size);
  if (!text_scratch_.empty()) std::memcpy(at + wire_size, text_scratch_.data(), text_scratch_.size());

  const std::uint32_t seq = lingers_.push();
  Lingering& l = lingers_.at(seq);
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
    if (s.observation) observations_.give_back(std::move(s.observation));  // it only kept the message
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

QueryEngine::Lingering* QueryEngine::lingering_for(std::uint32_t tagged) {
  if (lingers_.empty()) return nullptr;
  const std::uint32_t low = tagged & linger_seq_mask;
  Lingering& l = lingers_.at(low);
  if ((l.seq & linger_seq_mask) != low || !lingers_.holds(l.seq)) return nullptr;
  return &l;
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
  if (!l.observation) l.observation = observations_.take();
  l.observation->extra_responses.push_back(
      ExtraResponse{parsed_.rcode, parsed_.answers, static_cast<double>(now_us - l.answered_us) / 1000.0});
}

void QueryEngine::expire_lingers(std::uint64_t now_us) {
  const std::uint64_t linger_us = config_.linger_ms * 1000ull;
  while (!lingers_.empty()) {
    Lingering& l = lingers_.at(lingers_.head());
    if (l.answered_us + linger_us > now_us) break;
    lingers_.pop();
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
    if (owner) observations_.give_back(std::move(owner));
    schedule(r, now_us);
  }
  // The text of what is still lingering starts in the chunk of the oldest.
  if (!lingers_.empty())
    linger_text_.release_before(lingers_.at(lingers_.head()).text_chunk);
  else
    linger_text_.release_before(linger_text_.newest());
}

}  // namespace mxsentry
