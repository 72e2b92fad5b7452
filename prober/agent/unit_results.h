#pragma once
// The units this prober holds, from WORK until their DONE has gone out, and the messages
// waiting to go. Observations come in as they complete, in any order and mixed across units;
// each unit's are packed into RESULTS batches bounded in count and in bytes (a plain answer
// that is one of the truth's answer sets goes compact, protocol/answer_sets.h), numbered from
// 0 per unit. A batch leaves when full, or when it has waited `max_age_ms`; after a unit's
// last observation come its last batch and its DONE. Messages are kept encoded, in order,
// until the socket takes them (while disconnected too): held_bytes() is what they cost.
// No sockets, no clock (the caller gives the time).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prober/core/observation.h"
#include "protocol/message_codec.h"
#include "protocol/messages.h"

namespace mxsentry {

class UnitResults {
 public:
  struct Settings {
    std::size_t batch_size = 200;   ///< observations and compact results per RESULTS
    std::int64_t max_age_ms = 250;  ///< a partial batch waits at most this long
    protocol::Limits limits;        ///< a batch stays within half the body limit
  };

  /// A message ready to go, encoded.
  struct Outgoing {
    protocol::Frames frames;
    bool done = false;
  };

  explicit UnitResults(Settings settings) : settings_(std::move(settings)) {}

  /// A unit begins under `key`: `expected_count` observations are to come (asked and refused
  /// tasks alike). Its answer digests are taken from `work` (its task list is not kept).
  void begin(std::uint32_t key, const protocol::Work& work, std::size_t expected_count, std::int64_t now_ms);
  /// One observation of the unit `key`, its task_index the WORK task's index. False (and
  /// dropped) when no such unit is held or all its observations came already.
  bool add(std::uint32_t key, Observation observation, std::int64_t now_ms);
  /// Partial batches that waited long enough go.
  void flush_aged(std::int64_t now_ms);
  /// Every partial batch goes (the prober stops: what it has, it hands over).
  void flush_all();

  bool has_outgoing() const { return !outgoing_.empty(); }
  const Outgoing& front() const { return outgoing_.front(); }
  /// The front message went out. A DONE releases its unit.
  void pop();

  /// Encoded messages waiting and partial batches, in bytes (estimated for the latter).
  std::size_t held_bytes() const { return held_bytes_ + partial_bytes_; }
  /// Units held (their DONE not sent yet) that took credit, and whether an express one is held.
  std::uint32_t ordinary_units() const;
  bool holds_express() const;
  std::size_t units() const { return units_.size(); }

 private:
  struct Unit {
    std::uint64_t unit = 0;
    bool express = false;
    protocol::DigestKey digest_key;
    std::map<std::pair<std::string, std::uint16_t>, std::vector<std::uint64_t>> expected;  ///< by (qname, qtype)
    std::size_t remaining = 0;     ///< observations still to come
    std::uint32_t sequence = 0;    ///< the next batch's number
    protocol::Results batch;       ///< being filled
    std::size_t batch_count = 0;
    std::size_t batch_bytes = 0;
    std::int64_t batch_since_ms = 0;
  };

  void close_batch(Unit& u);
  void queue_done(std::uint32_t key, Unit& u);

  Settings settings_;
  std::unordered_map<std::uint32_t, Unit> units_;
  std::deque<Outgoing> outgoing_;
  std::deque<std::uint32_t> outgoing_done_keys_;  ///< the unit of each DONE waiting, in order
  std::size_t held_bytes_ = 0;
  std::size_t partial_bytes_ = 0;
};

}  // namespace mxsentry
