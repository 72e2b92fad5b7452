#include "prober/agent/unit_results.h"

#include <algorithm>
#include <optional>

#include "protocol/answer_sets.h"
#include "protocol/dns/names.h"

namespace mxsentry {

void UnitResults::begin(std::uint32_t key, const protocol::Work& work, std::size_t expected_count,
                        std::int64_t now_ms) {
  Unit& u = units_[key];
  u = Unit{};
  u.unit = work.unit;
  u.express = work.express;
  u.digest_key = work.digest_key;
  for (const auto& e : work.expected) u.expected[{canonical_name(e.qname), e.qtype}] = e.digests;
  u.remaining = expected_count;
  u.batch.unit = work.unit;
  u.batch_since_ms = now_ms;
  if (u.remaining == 0) queue_done(key, u);
}

bool UnitResults::add(std::uint32_t key, Observation o, std::int64_t now_ms) {
  auto it = units_.find(key);
  if (it == units_.end() || it->second.remaining == 0) return false;
  Unit& u = it->second;
  // Clamped first: an observation cut to the limits says so in `error`, and goes in full.
  protocol::clamp_to_limits(o, settings_.limits);
  std::size_t size = 0;
  std::optional<protocol::MatchedResult> matched;
  auto expected = u.expected.find({canonical_name(o.qname), o.qtype});
  if (expected != u.expected.end()) matched = protocol::match_answer(o, u.digest_key, expected->second);
  size = matched ? protocol::encode_matched(*matched).size() : protocol::encode_observation(o).size();
  // Bounded in count and in bytes: a resolver that answers with thousands of records must
  // not get a whole batch refused.
  if (u.batch_count > 0 &&
      (u.batch_count >= settings_.batch_size || u.batch_bytes + size > settings_.limits.max_body_bytes / 2))
    close_batch(u);
  if (u.batch_count == 0) u.batch_since_ms = now_ms;
  if (matched)
    u.batch.matched.push_back(std::move(*matched));
  else
    u.batch.observations.push_back(std::move(o));
  ++u.batch_count;
  u.batch_bytes += size;
  partial_bytes_ += size;
  if (--u.remaining == 0) {
    queue_done(key, u);
  } else if (u.batch_count >= settings_.batch_size) {
    close_batch(u);
  }
  return true;
}

void UnitResults::close_batch(Unit& u) {
  if (u.batch_count == 0) return;
  u.batch.sequence = u.sequence++;
  Outgoing out;
  out.frames = protocol::encode(u.batch);
  held_bytes_ += out.frames.body.size();
  outgoing_.push_back(std::move(out));
  partial_bytes_ -= u.batch_bytes;
  u.batch.observations.clear();
  u.batch.matched.clear();
  u.batch_count = 0;
  u.batch_bytes = 0;
}

void UnitResults::queue_done(std::uint32_t key, Unit& u) {
  close_batch(u);
  Outgoing out;
  out.frames = protocol::encode(protocol::Done{u.unit});
  out.done = true;
  held_bytes_ += out.frames.body.size();
  outgoing_.push_back(std::move(out));
  outgoing_done_keys_.push_back(key);
}

void UnitResults::flush_aged(std::int64_t now_ms) {
  for (auto& [key, u] : units_) {
    if (u.batch_count > 0 && now_ms - u.batch_since_ms >= settings_.max_age_ms) close_batch(u);
  }
}

void UnitResults::flush_all() {
  for (auto& [key, u] : units_) close_batch(u);
}

void UnitResults::pop() {
  Outgoing& out = outgoing_.front();
  held_bytes_ -= out.frames.body.size();
  if (out.done) {
    units_.erase(outgoing_done_keys_.front());
    outgoing_done_keys_.pop_front();
  }
  outgoing_.pop_front();
}

std::uint32_t UnitResults::ordinary_units() const {
  return static_cast<std::uint32_t>(
      std::count_if(units_.begin(), units_.end(), [](const auto& entry) { return !entry.second.express; }));
}

bool UnitResults::holds_express() const {
  return std::any_of(units_.begin(), units_.end(), [](const auto& entry) { return entry.second.express; });
}

}  // namespace mxsentry
