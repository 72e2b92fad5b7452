#pragma once
// The coordinator <-> prober messages (DESIGN section 3). On the wire each message is two
// ZeroMQ frames: the type name ("HELLO", "WORK", ...) and a msgpack map holding the protocol
// version under "v". Decoding is strict (protocol/message_codec.h): hostile input from the
// network gets a ProtocolError, never a crash or an unbounded allocation (inside a RESULTS
// batch a malformed observation or matched result is dropped alone and counted in
// Results::rejected).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "prober/core/observation.h"

namespace mxsentry::protocol {

inline constexpr std::uint32_t version = 1;

/// The prober introduces itself: who it is (the CURVE key decides, this is for people), what
/// it runs, how much work it takes at once, and the resolvers only it can reach.
struct Hello {
  std::string id;
  std::string software;
  std::uint32_t capacity = 1;  ///< work units it runs at once
  std::map<std::string, std::string> tags;
  std::vector<std::string> resolvers;  ///< local (ISP) resolvers, resolver-list syntax
  bool operator==(const Hello&) const = default;
};

/// Credit: the prober can take this many more units.
struct Ready {
  std::uint32_t credit = 0;
  bool operator==(const Ready&) const = default;
};

struct WorkTask {
  std::uint32_t index = 0;  ///< position in the unit; results are idempotent by (unit, index)
  std::string resolver;     ///< resolver-list syntax
  std::string qname;
  std::uint16_t qtype = 0;
  bool operator==(const WorkTask&) const = default;
};

/// Keyed digests (answer_sets.h) of the answer sets the authoritative servers give for one
/// question: an answer that matches one travels back compact.
struct ExpectedAnswers {
  std::string qname;
  std::uint16_t qtype = 0;
  std::vector<std::uint64_t> digests;
  bool operator==(const ExpectedAnswers&) const = default;
};

/// The SipHash key of a sweep's answer digests: drawn by the coordinator, never sent to a resolver.
struct DigestKey {
  std::uint64_t k0 = 0, k1 = 0;
  bool operator==(const DigestKey&) const = default;
};

struct Work {
  std::uint64_t unit = 0;
  std::uint64_t sweep = 0;
  std::int64_t lease_deadline_ms = 0;  ///< Unix ms; after it the unit may go to another prober
  double per_resolver_qps = 5;
  std::uint32_t timeout_ms = 2000;
  std::uint32_t retries = 2;
  std::vector<WorkTask> tasks;
  bool express = false;                     ///< sent beyond the prober's credit (an on-demand check)
  DigestKey digest_key{};                   ///< optional on the wire (absent: no expected answers)
  std::vector<ExpectedAnswers> expected{};  ///< optional; empty: every observation goes in full
  bool operator==(const Work&) const = default;
};

/// An observation whose answer is one of its question's expected answer sets, sent without
/// the records: the coordinator rebuilds it from the set (answer_sets.h). Nothing the analysis
/// reads is left out; only the records' order and their owner names' letter case are not kept.
struct MatchedResult {
  std::uint32_t task_index = 0;
  std::uint32_t answer_set = 0;     ///< index into the question's ExpectedAnswers::digests
  std::vector<std::uint32_t> ttls;  ///< one per record, in record-digest order (answer_sets.h)
  HeaderFlags flags;
  Edns edns;
  std::vector<ResourceRecord> authority;  ///< as in Observation (a summary, rdata empty)
  double rtt_ms = 0;
  std::int64_t time_ms = 0;
  Transport transport = Transport::udp;
  int attempts = 0;
  bool operator==(const MatchedResult&) const = default;
};

/// A batch of observations for one unit; Observation::task_index is the WorkTask index.
struct Results {
  std::uint64_t unit = 0;
  std::uint32_t sequence = 0;  ///< batch number within the unit
  std::vector<Observation> observations;
  std::vector<MatchedResult> matched{};  ///< optional on the wire; compact observations
  std::uint32_t rejected = 0;  ///< observations and matched results that did not decode (dropped one by one)
};

struct Done {
  std::uint64_t unit = 0;
  bool operator==(const Done&) const = default;
};

struct Heartbeat {
  bool operator==(const Heartbeat&) const = default;
};

struct Bye {
  bool operator==(const Bye&) const = default;
};

struct Error {
  std::string code;
  std::string message;
  bool operator==(const Error&) const = default;
};

using Message = std::variant<Hello, Ready, Work, Results, Done, Heartbeat, Bye, Error>;

/// "HELLO", "READY", "WORK", "RESULTS", "DONE", "HEARTBEAT", "BYE", "ERROR".
const char* type_name(const Message& message);

}  // namespace mxsentry::protocol
