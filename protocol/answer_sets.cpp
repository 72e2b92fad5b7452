#include "protocol/answer_sets.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>

#include "prober/core/siphash.h"

namespace mxsentry::protocol {

namespace {

void append_u32(std::string& out, std::uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
  out.append(b, 4);
}

void append_u64(std::string& out, std::uint64_t v) {
  append_u32(out, static_cast<std::uint32_t>(v));
  append_u32(out, static_cast<std::uint32_t>(v >> 32));
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = lower(c);
  return out;
}

std::uint64_t keyed(const DigestKey& key, const std::string& bytes) {
  const std::uint64_t k[2] = {key.k0, key.k1};
  return siphash24(k, bytes.data(), bytes.size());
}

/// The records' positions, ordered by their digests (ties in their given order).
std::vector<std::size_t> digest_order(const DigestKey& key, const std::vector<ResourceRecord>& records) {
  std::vector<std::uint64_t> digests;
  digests.reserve(records.size());
  for (const auto& r : records) digests.push_back(record_digest(key, r));
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return digests[a] < digests[b]; });
  return order;
}

/// What a digest covers, without a key: the rcode and the sorted (owner in lower case, type, rdata).
using CanonicalRecord = std::tuple<std::string, std::uint16_t, std::string>;
struct CanonicalSet {
  int rcode = 0;
  std::vector<CanonicalRecord> records;
  bool operator==(const CanonicalSet&) const = default;
};

CanonicalSet canonical(int rcode, const std::vector<ResourceRecord>& records) {
  CanonicalSet c{rcode, {}};
  c.records.reserve(records.size());
  for (const auto& r : records) c.records.emplace_back(lower(r.name), r.type, r.rdata);
  std::sort(c.records.begin(), c.records.end());
  return c;
}

}  // namespace

DigestKey random_digest_key() {
  std::random_device device;
  // random_device yields `unsigned int`, 32 bits: two draws make a 64-bit value.
  static_assert(std::numeric_limits<std::random_device::result_type>::digits >= 32);
  auto draw64 = [&] {
    std::uint64_t high = device() & 0xffffffffu;
    return (high << 32) | (device() & 0xffffffffu);
  };
  DigestKey key;
  key.k0 = draw64();
  key.k1 = draw64();
  return key;
}

std::uint64_t record_digest(const DigestKey& key, const ResourceRecord& record) {
  // Length-prefixed fields, so that no two different records encode alike.
  std::string b;
  b.reserve(12 + record.name.size() + record.rdata.size());
  append_u32(b, static_cast<std::uint32_t>(record.name.size()));
  for (char c : record.name) b += lower(c);
  append_u32(b, record.type);
  append_u32(b, static_cast<std::uint32_t>(record.rdata.size()));
  b += record.rdata;
  return keyed(key, b);
}

std::uint64_t answer_set_digest(const DigestKey& key, int rcode, const std::vector<ResourceRecord>& records) {
  // The records' digests are summed (mod 2^64), which ignores their order and keeps their
  // multiplicity; the sum, the count and the rcode are hashed again under the same key.
  std::uint64_t sum = 0;
  for (const auto& r : records) sum += record_digest(key, r);
  std::string b;
  append_u32(b, static_cast<std::uint32_t>(rcode));
  append_u32(b, static_cast<std::uint32_t>(records.size()));
  append_u64(b, sum);
  return keyed(key, b);
}

std::vector<AnswerSet> distinct_answer_sets(const std::vector<AnswerSet>& candidates) {
  std::vector<AnswerSet> sets;
  std::vector<CanonicalSet> seen;
  for (const AnswerSet& candidate : candidates) {
    CanonicalSet c = canonical(candidate.rcode, candidate.records);
    if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
    seen.push_back(std::move(c));
    sets.push_back(candidate);
  }
  return sets;
}

std::optional<MatchedResult> match_answer(const Observation& observation, const DigestKey& key,
                                          const std::vector<std::uint64_t>& digests) {
  const Observation& o = observation;
  if (o.outcome != Outcome::answer || !o.error.empty() || o.rcode < 0 || !o.rrsigs.empty() ||
      !o.extra_responses.empty() || o.unsolicited != 0 || !o.message.empty())
    return std::nullopt;
  if (o.task_index > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  if (digests.empty()) return std::nullopt;
  const std::uint64_t digest = answer_set_digest(key, o.rcode, o.answers);
  auto found = std::find(digests.begin(), digests.end(), digest);
  if (found == digests.end()) return std::nullopt;

  MatchedResult m;
  m.task_index = static_cast<std::uint32_t>(o.task_index);
  m.answer_set = static_cast<std::uint32_t>(found - digests.begin());
  m.ttls.reserve(o.answers.size());
  for (std::size_t i : digest_order(key, o.answers)) m.ttls.push_back(o.answers[i].ttl);
  m.flags = o.flags;
  m.edns = o.edns;
  m.authority = o.authority;
  m.rtt_ms = o.rtt_ms;
  m.time_ms = o.time_ms;
  m.transport = o.transport;
  m.attempts = o.attempts;
  return m;
}

OrderedAnswerSet order_answer_set(const AnswerSet& set, const DigestKey& key) {
  OrderedAnswerSet out;
  out.rcode = set.rcode;
  out.records.reserve(set.records.size());
  for (std::size_t at : digest_order(key, set.records)) out.records.push_back(set.records[at]);
  return out;
}

Observation rebuild_observation(const MatchedResult& matched, const std::string& qname, std::uint16_t qtype,
                                const Endpoint& resolver, const OrderedAnswerSet& set) {
  if (matched.ttls.size() != set.records.size())
    throw std::invalid_argument("matched result for task " + std::to_string(matched.task_index) + ": " +
                                std::to_string(matched.ttls.size()) + " TTLs for an answer set of " +
                                std::to_string(set.records.size()) + " records");
  Observation o;
  o.resolver = resolver;
  o.qname = qname;
  o.qtype = qtype;
  o.task_index = matched.task_index;
  o.outcome = Outcome::answer;
  o.rcode = set.rcode;
  o.flags = matched.flags;
  o.answers = set.records;
  for (std::size_t i = 0; i < o.answers.size(); ++i) o.answers[i].ttl = matched.ttls[i];
  o.authority = matched.authority;
  o.edns = matched.edns;
  o.rtt_ms = matched.rtt_ms;
  o.time_ms = matched.time_ms;
  o.transport = matched.transport;
  o.attempts = matched.attempts;
  return o;
}

Observation rebuild_observation(const MatchedResult& matched, const WorkTask& task, const Endpoint& resolver,
                                const AnswerSet& set, const DigestKey& key) {
  return rebuild_observation(matched, task.qname, task.qtype, resolver, order_answer_set(set, key));
}

}  // namespace mxsentry::protocol
