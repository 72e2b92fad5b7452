#pragma once
// Compact results (DESIGN section 3). Most resolvers answer exactly what the authoritative
// servers say, so a work unit carries, for each question, keyed digests of the answer sets the
// truth holds; a prober sends an observation that matches one of them as a MatchedResult
// (which set, the TTLs, flags and timing), and the coordinator rebuilds the observation from
// the set. The digest is SipHash-2-4 keyed per sweep: a resolver that does not know the key
// cannot forge an answer that passes for the truth's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "prober/core/observation.h"

namespace mxsentry::protocol {

/// One answer the authoritative servers give: its rcode and records (their TTLs are the
/// authoritative ones, and do not count in digests).
struct AnswerSet {
  int rcode = 0;
  std::vector<ResourceRecord> records;
  bool operator==(const AnswerSet&) const = default;
};

/// A fresh random key (from the system's random source).
DigestKey random_digest_key();

/// The keyed digest of one record: (owner in lower case, type, rdata). TTLs do not count.
std::uint64_t record_digest(const DigestKey& key, const ResourceRecord& record);

/// The keyed digest of an answer: its rcode and the multiset of its records' digests. The
/// records' order, TTLs and owner case do not count.
std::uint64_t answer_set_digest(const DigestKey& key, int rcode, const std::vector<ResourceRecord>& records);

/// The candidates without repeats (first kept); sets that differ only in record order, TTLs or
/// owner case are repeats.
std::vector<AnswerSet> distinct_answer_sets(const std::vector<AnswerSet>& candidates);

/// The prober's side: the compact form of `observation` when it is a plain answer (no error,
/// no RRSIGs, no extra or unsolicited responses, no kept message) whose digest is one of
/// `digests`; otherwise nothing, and the observation goes in full. TTLs are listed in the
/// order of the records' digests (ties: any order, the records being equal).
std::optional<MatchedResult> match_answer(const Observation& observation, const DigestKey& key,
                                          const std::vector<std::uint64_t>& digests);

/// The coordinator's side: the observation again, from its task and the answer set it
/// matched; the records come in record-digest order with the prober's TTLs. Throws
/// std::invalid_argument when the TTLs do not fit the set (a hostile or confused prober).
Observation rebuild_observation(const MatchedResult& matched, const WorkTask& task, const Endpoint& resolver,
                                const AnswerSet& set, const DigestKey& key);

/// An answer set with its records in record-digest order, made once for rebuilding the many
/// compact results that name it (no digest computed per result).
struct OrderedAnswerSet {
  int rcode = 0;
  std::vector<ResourceRecord> records;
};
OrderedAnswerSet order_answer_set(const AnswerSet& set, const DigestKey& key);
/// rebuild_observation with the set ordered already.
Observation rebuild_observation(const MatchedResult& matched, const std::string& qname, std::uint16_t qtype,
                                const Endpoint& resolver, const OrderedAnswerSet& set);

}  // namespace mxsentry::protocol
