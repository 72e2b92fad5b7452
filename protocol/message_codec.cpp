#include "protocol/message_codec.h"

#include "protocol/codec_parts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

#include <msgpack.hpp>

namespace mxsentry::protocol {

namespace {


// ---- encoding ----

// A task not asked travels as outcome network_error plus a "not_asked" key with the reason:
// a peer from before not-asked ignores the key and reads what it always read (a network
// error), where an outcome number it does not know would make it drop the observation and
// leave the task open. Observations kept in a sweep store read back the same way.
constexpr int wire_network_error = 3;
static_assert(static_cast<int>(Outcome::network_error) == wire_network_error);

void pack_observation(Packer& p, const Observation& o) {
  const bool not_asked = o.outcome == Outcome::not_asked && o.not_asked;
  p.pack_map(not_asked ? 19 : 18);
  pack_key(p, "resolver"), pack_string(p, o.resolver.to_string());
  pack_key(p, "qname"), pack_string(p, o.qname);
  pack_key(p, "qtype"), p.pack(o.qtype);
  pack_key(p, "task"), p.pack(o.task_index);
  pack_key(p, "outcome"), p.pack(o.outcome == Outcome::not_asked ? wire_network_error : static_cast<int>(o.outcome));
  if (not_asked) pack_key(p, "not_asked"), pack_string(p, to_string(*o.not_asked));
  pack_key(p, "error"), pack_string(p, o.error);
  pack_key(p, "rcode"), p.pack(o.rcode);
  pack_key(p, "flags"), p.pack(flag_bits(o.flags));
  pack_key(p, "answers"), pack_records(p, o.answers);
  pack_key(p, "rrsigs"), pack_records(p, o.rrsigs);
  pack_key(p, "authority"), pack_records(p, o.authority);
  pack_key(p, "edns"), pack_edns(p, o.edns);
  pack_key(p, "rtt_ms"), p.pack(o.rtt_ms);
  pack_key(p, "time_ms"), p.pack(o.time_ms);
  pack_key(p, "transport"), p.pack(static_cast<int>(o.transport));
  pack_key(p, "attempts"), p.pack(o.attempts);
  pack_key(p, "unsolicited"), p.pack(o.unsolicited);
  pack_key(p, "extra");
  p.pack_array(static_cast<std::uint32_t>(o.extra_responses.size()));
  for (const auto& e : o.extra_responses) {
    p.pack_array(3);
    p.pack(e.rcode);
    p.pack(e.after_ms);
    pack_records(p, e.answers);
  }
}

// A compact observation (answer_sets.h), positional to stay small (these are most of a big
// sweep's traffic): [task, set, [ttls], flags, edns, authority, rtt_ms, time_ms, transport,
// attempts], flags, EDNS, authority and transport packed as in an observation.
constexpr std::size_t matched_fields = 10;

void pack_matched(Packer& p, const MatchedResult& m) {
  p.pack_array(matched_fields);
  p.pack(m.task_index);
  p.pack(m.answer_set);
  p.pack_array(static_cast<std::uint32_t>(m.ttls.size()));
  for (std::uint32_t ttl : m.ttls) p.pack(ttl);
  p.pack(flag_bits(m.flags));
  pack_edns(p, m.edns);
  pack_records(p, m.authority);
  p.pack(m.rtt_ms);
  p.pack(m.time_ms);
  p.pack(static_cast<int>(m.transport));
  p.pack(m.attempts);
}

struct BodyPacker {
  Packer& p;
  void header(std::uint32_t fields) {
    p.pack_map(fields + 1);
    pack_key(p, "v");
    p.pack(version);
  }
  void operator()(const Hello& m) {
    header(5);
    pack_key(p, "id"), pack_string(p, m.id);
    pack_key(p, "software"), pack_string(p, m.software);
    pack_key(p, "capacity"), p.pack(m.capacity);
    pack_key(p, "tags");
    p.pack_map(static_cast<std::uint32_t>(m.tags.size()));
    for (const auto& [k, v] : m.tags) pack_string(p, k), pack_string(p, v);
    pack_key(p, "resolvers");
    p.pack_array(static_cast<std::uint32_t>(m.resolvers.size()));
    for (const auto& r : m.resolvers) pack_string(p, r);
  }
  void operator()(const Ready& m) {
    header(1);
    pack_key(p, "credit"), p.pack(m.credit);
  }
  void operator()(const Work& m) {
    // The digest key and the expected answers go only when there are some: a WORK without
    // them is the same on the wire as before they existed.
    const bool key = m.digest_key != DigestKey{}, expected = !m.expected.empty();
    header(8 + key + expected);
    pack_key(p, "unit"), p.pack(m.unit);
    pack_key(p, "sweep"), p.pack(m.sweep);
    pack_key(p, "lease_deadline_ms"), p.pack(m.lease_deadline_ms);
    pack_key(p, "per_resolver_qps"), p.pack(m.per_resolver_qps);
    pack_key(p, "timeout_ms"), p.pack(m.timeout_ms);
    pack_key(p, "retries"), p.pack(m.retries);
    pack_key(p, "tasks");
    p.pack_array(static_cast<std::uint32_t>(m.tasks.size()));
    for (const auto& t : m.tasks) {
      p.pack_array(4);
      p.pack(t.index);
      pack_string(p, t.resolver);
      pack_string(p, t.qname);
      p.pack(t.qtype);
    }
    pack_key(p, "express"), p.pack(m.express);
    if (key) {
      pack_key(p, "digest_key");
      p.pack_array(2), p.pack(m.digest_key.k0), p.pack(m.digest_key.k1);
    }
    if (expected) {
      pack_key(p, "expected");
      p.pack_array(static_cast<std::uint32_t>(m.expected.size()));
      for (const auto& e : m.expected) {
        p.pack_map(3);
        pack_key(p, "qname"), pack_string(p, e.qname);
        pack_key(p, "qtype"), p.pack(e.qtype);
        pack_key(p, "digests");
        p.pack_array(static_cast<std::uint32_t>(e.digests.size()));
        for (std::uint64_t d : e.digests) p.pack(d);
      }
    }
  }
  void operator()(const Results& m) {
    const bool matched = !m.matched.empty();  // only when there are some, as for WORK's expected
    header(3 + matched);
    pack_key(p, "unit"), p.pack(m.unit);
    pack_key(p, "sequence"), p.pack(m.sequence);
    pack_key(p, "observations");
    p.pack_array(static_cast<std::uint32_t>(m.observations.size()));
    for (const auto& o : m.observations) pack_observation(p, o);
    if (matched) {
      pack_key(p, "matched");
      p.pack_array(static_cast<std::uint32_t>(m.matched.size()));
      for (const auto& r : m.matched) pack_matched(p, r);
    }
  }
  void operator()(const Done& m) {
    header(1);
    pack_key(p, "unit"), p.pack(m.unit);
  }
  void operator()(const Heartbeat&) { header(0); }
  void operator()(const Bye&) { header(0); }
  void operator()(const Error& m) {
    header(2);
    pack_key(p, "code"), pack_string(p, m.code);
    pack_key(p, "message"), pack_string(p, m.message);
  }
};

// ---- decoding ----

Observation read_observation(const Reader& r) {
  Observation o;
  std::string resolver = r.field("resolver").string();
  auto endpoint = Endpoint::parse(resolver);
  if (!endpoint) r.field("resolver").fail("not an address: " + resolver);
  o.resolver = *endpoint;
  o.qname = r.field("qname").string();
  o.qtype = r.field("qtype").integer<std::uint16_t>();
  o.task_index = r.field("task").integer<std::uint64_t>();
  int outcome = r.field("outcome").integer<int>();
  if (outcome < 0 || outcome > wire_network_error) r.field("outcome").fail("unknown outcome");
  o.outcome = static_cast<Outcome>(outcome);
  o.error = r.field("error").string();
  if (r.has("not_asked")) {
    if (outcome != wire_network_error) r.field("not_asked").fail("only with outcome network-error");
    // A reason from a newer peer that this side does not know stays a network error, as an
    // older peer would read it, rather than dropping the observation.
    if (auto reason = not_asked_reason_from_string(r.field("not_asked").string())) {
      o.outcome = Outcome::not_asked;
      o.not_asked = reason;
    }
  }
  o.rcode = r.field("rcode").integer<int>();
  if (o.rcode < -1 || o.rcode > 4095) r.field("rcode").fail("out of range");
  o.flags = read_flags(r.field("flags"));
  o.answers = read_records(r.field("answers"));
  o.rrsigs = read_records(r.field("rrsigs"));
  o.authority = read_records(r.field("authority"));
  o.edns = read_edns(r.field("edns"));
  o.rtt_ms = r.field("rtt_ms").duration_ms();
  o.time_ms = r.field("time_ms").integer<std::int64_t>();
  o.transport = read_transport(r.field("transport"));
  o.attempts = r.field("attempts").integer<int>();
  o.unsolicited = r.field("unsolicited").integer<std::uint32_t>();
  for (const auto& item : r.field("extra").array(r.limits().max_records)) {
    auto f = item.tuple(3);
    o.extra_responses.push_back(ExtraResponse{f[0].integer<int>(), read_records(f[2]), f[1].duration_ms()});
  }
  return o;
}

MatchedResult read_matched(const Reader& r) {
  auto f = r.tuple(matched_fields);
  MatchedResult m;
  m.task_index = f[0].integer<std::uint32_t>();
  m.answer_set = f[1].integer<std::uint32_t>();
  for (const auto& item : f[2].array(r.limits().max_records)) m.ttls.push_back(item.integer<std::uint32_t>());
  m.flags = read_flags(f[3]);
  m.edns = read_edns(f[4]);
  m.authority = read_records(f[5]);
  m.rtt_ms = f[6].duration_ms();
  m.time_ms = f[7].integer<std::int64_t>();
  m.transport = read_transport(f[8]);
  m.attempts = f[9].integer<int>();
  return m;
}

ExpectedAnswers read_expected(const Reader& r) {
  ExpectedAnswers e;
  e.qname = r.field("qname").string();
  e.qtype = r.field("qtype").integer<std::uint16_t>();
  for (const auto& item : r.field("digests").array(r.limits().max_answer_sets))
    e.digests.push_back(item.integer<std::uint64_t>());
  return e;
}

Message read_body(std::string_view type, const Reader& r) {
  if (type == "HELLO") {
    Hello m;
    m.id = r.field("id").string();
    m.software = r.field("software").string();
    m.capacity = r.field("capacity").integer<std::uint32_t>();
    m.tags = r.field("tags").string_map();
    for (const auto& item : r.field("resolvers").array(r.limits().max_list)) m.resolvers.push_back(item.string());
    return m;
  }
  if (type == "READY") return Ready{r.field("credit").integer<std::uint32_t>()};
  if (type == "WORK") {
    Work m;
    m.unit = r.field("unit").integer<std::uint64_t>();
    m.sweep = r.field("sweep").integer<std::uint64_t>();
    m.lease_deadline_ms = r.field("lease_deadline_ms").integer<std::int64_t>();
    m.per_resolver_qps = r.field("per_resolver_qps").number();
    if (m.per_resolver_qps < 0) r.field("per_resolver_qps").fail("negative");
    m.timeout_ms = r.field("timeout_ms").integer<std::uint32_t>();
    m.retries = r.field("retries").integer<std::uint32_t>();
    for (const auto& item : r.field("tasks").array(r.limits().max_list)) {
      auto f = item.tuple(4);
      m.tasks.push_back(WorkTask{f[0].integer<std::uint32_t>(), f[1].string(), f[2].string(), f[3].integer<std::uint16_t>()});
    }
    if (r.has("express")) m.express = r.field("express").boolean();  // optional: older peers omit it
    // Optional too (compact results): absent, no key and nothing expected.
    if (r.has("digest_key")) {
      auto key = r.field("digest_key").tuple(2);
      m.digest_key = DigestKey{key[0].integer<std::uint64_t>(), key[1].integer<std::uint64_t>()};
    }
    if (r.has("expected"))
      for (const auto& item : r.field("expected").array(r.limits().max_list)) m.expected.push_back(read_expected(item));
    return m;
  }
  if (type == "RESULTS") {
    Results m;
    m.unit = r.field("unit").integer<std::uint64_t>();
    m.sequence = r.field("sequence").integer<std::uint32_t>();
    // The envelope is strict, each observation on its own: one malformed observation is
    // dropped and counted, the rest of the batch still counts.
    for (const auto& item : r.field("observations").array(r.limits().max_list)) {
      try {
        m.observations.push_back(read_observation(item));
      } catch (const ProtocolError&) {
        ++m.rejected;
      }
    }
    // Matched results (optional: absent, none) likewise, counted in the same `rejected`.
    if (r.has("matched")) {
      for (const auto& item : r.field("matched").array(r.limits().max_list)) {
        try {
          m.matched.push_back(read_matched(item));
        } catch (const ProtocolError&) {
          ++m.rejected;
        }
      }
    }
    return m;
  }
  if (type == "DONE") return Done{r.field("unit").integer<std::uint64_t>()};
  if (type == "HEARTBEAT") return Heartbeat{};
  if (type == "BYE") return Bye{};
  if (type == "ERROR") return Error{r.field("code").string(), r.field("message").string()};
  throw ProtocolError("unknown message type '" + std::string(type.substr(0, 32)) + "'");
}

}  // namespace

const char* type_name(const Message& message) {
  static const char* names[] = {"HELLO", "READY", "WORK", "RESULTS", "DONE", "HEARTBEAT", "BYE", "ERROR"};
  return names[message.index()];
}

Frames encode(const Message& message) {
  msgpack::sbuffer buffer;
  Packer packer(buffer);
  std::visit(BodyPacker{packer}, message);
  return Frames{type_name(message), std::string(buffer.data(), buffer.size())};
}


void clamp_to_limits(Observation& o, const Limits& limits) {
  bool cut = false;
  auto clamp_string = [&](std::string& s) {
    if (s.size() > limits.max_string) {
      s.resize(limits.max_string);
      cut = true;
    }
  };
  auto clamp_records = [&](std::vector<ResourceRecord>& records) {
    if (records.size() > limits.max_records) {
      records.resize(limits.max_records);
      cut = true;
    }
    for (auto& r : records) {
      clamp_string(r.name);
      clamp_string(r.rdata);
    }
  };
  clamp_records(o.answers);
  clamp_records(o.rrsigs);
  clamp_records(o.authority);
  if (o.extra_responses.size() > limits.max_records) {
    o.extra_responses.resize(limits.max_records);
    cut = true;
  }
  for (auto& e : o.extra_responses) clamp_records(e.answers);
  clamp_string(o.qname);
  if (cut) o.error += o.error.empty() ? "truncated to the protocol's limits" : "; truncated to the protocol's limits";
  clamp_string(o.error);
}

std::string encode_observation(const Observation& observation) {
  msgpack::sbuffer buffer;
  Packer packer(buffer);
  pack_observation(packer, observation);
  return std::string(buffer.data(), buffer.size());
}

std::string encode_matched(const MatchedResult& matched) {
  msgpack::sbuffer buffer;
  Packer packer(buffer);
  pack_matched(packer, matched);
  return std::string(buffer.data(), buffer.size());
}

MatchedResult decode_matched(std::string_view bytes, const Limits& limits) {
  msgpack::object_handle handle = unpack_bounded(bytes, "matched result", limits);
  return read_matched(Reader(handle.get(), "matched result", limits));
}

Observation decode_observation(std::string_view bytes, const Limits& limits) {
  msgpack::object_handle handle = unpack_bounded(bytes, "observation", limits);
  return read_observation(Reader(handle.get(), "observation", limits));
}

Message decode(std::string_view type, std::string_view body, const Limits& limits) {
  std::string what(type.substr(0, 32));
  msgpack::object_handle handle = unpack_bounded(body, what, limits);
  Reader root(handle.get(), what, limits);
  auto v = root.field("v").integer<std::uint32_t>();
  if (v != version)
    throw ProtocolError(what + ": protocol version " + std::to_string(v) + ", this side speaks " + std::to_string(version));
  return read_body(type, root);
}

}  // namespace mxsentry::protocol
