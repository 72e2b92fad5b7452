#pragma once
// The sans-I/O query engine: owns every query from intake to Observation, never touches a
// socket or a clock. An I/O adapter (prober/io) feeds it datagrams, TCP messages and the time,
// and carries out the sends it asks for through QueryIo.
//
// Life of a task: queued per resolver (an urgent one at the front) -> dispatched when the
// in-flight cap, the global rate, the resolver's token bucket and the task's own pace allow
// (never two identical (resolver, qname, qtype) outstanding)
// -> UDP attempts with fresh ID and socket, retransmitted on timeout -> TCP on TC=1 ->
// accepted only after the RFC 5452 checks -> lingers briefly to catch a second, differing
// answer -> Observation.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <array>
#include <queue>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "prober/core/linger_text.h"
#include "prober/core/observation.h"
#include "prober/core/observation_pool.h"
#include "prober/core/observation_renderer.h"
#include "prober/core/outstanding_set.h"
#include "prober/core/pending_queues.h"
#include "prober/core/query_id_table.h"
#include "prober/core/random_source.h"
#include "prober/core/response_parse.h"
#include "prober/core/sequence_ring.h"
#include "prober/core/task.h"
#include "prober/core/token_bucket.h"

namespace mxsentry {

struct EngineConfig {
  std::size_t max_in_flight = 1000;   ///< queries awaiting an answer at once
  std::size_t intake_window = 0;      ///< queued + in flight; 0 means 2 x max_in_flight
  double global_qps = 0;              ///< queries per second over all resolvers; 0 = unlimited
  double per_resolver_qps = 5;        ///< per resolver; 0 = unlimited
  double per_resolver_burst = 1;       ///< at least 10 ms of per_resolver_qps (burst_for_rate)
  std::uint32_t timeout_ms = 2000;    ///< per attempt
  std::uint32_t retries = 2;          ///< further attempts after the first (at most 7)
  std::uint32_t linger_ms = 200;      ///< listen on after the first accepted answer
  std::uint16_t udp_size = 1232;
  bool dnssec_ok = true;
  std::uint32_t udp_sockets = 1;      ///< size of the adapter's socket pool (per family)
  std::int64_t wall_clock_offset_us = 0;  ///< wall clock = monotonic now + this
};

/// Validates a configuration; returns an empty string or the problem.
std::string validate(const EngineConfig& config);

struct EngineStats {
  std::uint64_t submitted = 0;
  std::uint64_t packets_sent = 0;
  std::uint64_t retransmits = 0;
  std::uint64_t tcp_fallbacks = 0;
  std::uint64_t answered = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t malformed = 0;
  std::uint64_t network_errors = 0;
  std::uint64_t unsolicited = 0;
  std::uint64_t extra_responses = 0;
  std::uint64_t completed() const { return answered + timeouts + malformed + network_errors; }
};

/// What the engine asks of the I/O layer. Implementations must not call back into the engine
/// from inside these functions; errors come back later through on_*_error.
class QueryIo {
 public:
  virtual ~QueryIo() = default;
  virtual void send_udp(std::uint64_t handle, std::uint32_t socket, const Endpoint& to,
                        std::span<const std::uint8_t> message) = 0;
  /// Opens a TCP connection, sends the message (the adapter adds the length prefix) and
  /// delivers the first response message through on_tcp_message.
  virtual void start_tcp(std::uint64_t handle, const Endpoint& to,
                         std::span<const std::uint8_t> message) = 0;
  virtual void cancel_tcp(std::uint64_t handle) = 0;
};

/// One received datagram, for QueryEngine::on_udp_datagrams.
struct UdpDatagram {
  Endpoint from;
  std::span<const std::uint8_t> data;
};

class QueryEngine {
 public:
  using ObservationSink = std::function<void(Observation&&)>;

  QueryEngine(EngineConfig config, QueryIo& io, RandomSource& random, ObservationSink sink);
  ~QueryEngine();
  QueryEngine(const QueryEngine&) = delete;
  QueryEngine& operator=(const QueryEngine&) = delete;

  /// Sends completed observations to `renderer` as text instead of to the sink (see
  /// observation_renderer.h); nullptr goes back to the sink. Set it before the first submit.
  void set_renderer(ObservationRenderer* renderer) { renderer_ = renderer; }

  /// True while the intake window has room for another task.
  bool wants_tasks() const;
  /// Queues a task; returns an error (and queues nothing) if its name is not a valid name.
  std::optional<std::string> submit(Task task, std::uint64_t now_us);
  /// Fires due timers and sends what the limits allow.
  void advance(std::uint64_t now_us);
  /// Forgets every task not yet sent (queued, or waiting for its twin); what is in flight or
  /// lingering goes on. Returns how many were forgotten (an interrupted run says so).
  std::size_t drop_queued();
  /// When advance should next run; nullopt when only I/O can make progress.
  std::optional<std::uint64_t> next_wakeup_us() const;

  void on_udp_datagram(std::uint32_t socket, const Endpoint& from,
                       std::span<const std::uint8_t> data, std::uint64_t now_us);
  /// The same for a batch read from one socket at once (recvmmsg), in order; the lookups of
  /// the whole batch are started first so that their cache misses overlap.
  void on_udp_datagrams(std::uint32_t socket, std::span<const UdpDatagram> batch, std::uint64_t now_us);
  void on_udp_send_error(std::uint64_t handle, const std::string& reason, std::uint64_t now_us);
  void on_tcp_message(std::uint64_t handle, std::span<const std::uint8_t> data, std::uint64_t now_us);
  void on_tcp_error(std::uint64_t handle, const std::string& reason, std::uint64_t now_us);

  /// Nothing queued, in flight or lingering.
  bool idle() const { return used_slots_ == 0 && lingering() == 0 && pending_.size() == 0 && blocked_.empty(); }
  /// Answered queries still listening for a second answer.
  std::size_t lingering() const { return lingers_.size(); }
  std::size_t in_flight() const { return in_flight_; }
  const EngineStats& stats() const { return stats_; }
  /// Unsolicited packets by source address (port 0), at most a bounded number of sources.
  const std::unordered_map<Endpoint, std::uint64_t, EndpointHash>& unsolicited_by_source() const {
    return unsolicited_by_source_;
  }

 private:
  static constexpr std::size_t max_attempts = 8;
  static constexpr std::uint32_t none = UINT32_MAX;

  enum class State : std::uint8_t { free, waiting_udp, waiting_tcp, answered };

  struct ResolverState;

  struct Slot {
    std::uint32_t generation = 0;
    State state = State::free;
    Task task;
    std::string qname_wire;
    std::uint64_t dedupe_key = 0;
    ResolverState* resolver = nullptr;
    /// The attempt's deadline, and the slot's place in the list of waiting slots ordered by
    /// deadline (with one timeout for all, a slot re-armed goes to the back).
    std::uint64_t deadline_us = 0;
    std::uint32_t prev = none, next = none;
    bool armed = false;
    std::uint8_t attempts = 0;
    std::uint8_t key_count = 0;
    std::array<std::uint32_t, max_attempts> keys{};      ///< (socket << 16 | id) per attempt
    std::array<std::uint64_t, max_attempts> sent_us{};   ///< send time per attempt
    std::uint16_t tcp_id = 0;
    std::uint64_t tcp_sent_us = 0;
    std::uint64_t answered_us = 0;
    std::uint32_t unsolicited = 0;
    std::string malformed_reason;
    /// The next attempt holds its token and waits until the rate lets it go (retransmit()).
    bool token_reserved = false;
    /// The observation being built (only when the task keeps the message, or without a
    /// renderer once answered).
    std::unique_ptr<Observation> observation;
  };

  /// An answered query during its linger. The slot is free again as soon as the answer is
  /// accepted; this compact record, kept in a FIFO (the linger is constant, so expiry order
  /// is acceptance order), is all that remains: the (socket, ID) keys, what a further answer
  /// is checked against (address, question, a keyed digest of the first answer) and where its
  /// text is. Written once when the answer arrives and read once, in order, when the linger
  /// ends: no cold memory is touched in between.
  struct Lingering {
    std::uint64_t answered_us = 0;
    std::uint64_t digest = 0;
    const char* text = nullptr;     ///< the question name in wire form, then the line
    std::uint64_t text_chunk = 0;   ///< sequence number of the chunk holding the text
    std::uint64_t task_index = 0;
    ResolverState* resolver_state = nullptr;
    /// Without a renderer: the whole observation. With one: only when extra responses came.
    std::unique_ptr<Observation> observation;
    Endpoint resolver;
    std::array<std::uint32_t, max_attempts> keys{};
    std::uint32_t seq = 0;
    std::uint32_t line_size = 0;
    std::uint32_t head_size = 0;
    std::uint32_t unsolicited = 0;
    std::uint32_t unsolicited_rendered = 0;
    std::uint16_t qtype = 0;
    std::uint16_t wire_size = 0;
    std::uint8_t key_count = 0;
  };

  struct ResolverState {
    explicit ResolverState(const EngineConfig& c, std::uint64_t now_us)
        : bucket(c.per_resolver_qps, burst_for_rate(c.per_resolver_qps, c.per_resolver_burst), now_us) {}
    TokenBucket bucket;
    PendingQueues::Queue queue;  ///< its tasks waiting to be sent
    std::uint64_t last_sent_us = 0;  ///< the last packet to it (a task's own pace counts from it)
    bool sent = false;
    std::uint32_t active = 0;  ///< slots (in flight or lingering)
    bool scheduled = false;    ///< in ready_ or sleeping_
    std::uint64_t wake_us = 0;   ///< when scheduled: for when
    std::uint32_t plan = 0;      ///< counts the schedulings: a sleeper of an earlier one is stale
    std::uint32_t sleepers = 0;  ///< entries in sleeping_ (stale ones included) pointing here
  };

  struct Sleeper {
    std::uint64_t wake_us;
    ResolverState* resolver;
    std::uint32_t plan;
    bool operator>(const Sleeper& o) const { return wake_us > o.wake_us; }
  };

  // intake queues
  void schedule(ResolverState& r, std::uint64_t now_us);
  void dispatch(std::uint64_t now_us);
  void forget_idle_resolvers(std::uint64_t now_us);

  // per query
  std::uint32_t timeout_ms_of(const Task& task) const;
  /// When the front task of `r` may go by its own pace (Task::per_resolver_qps); 0: any time.
  std::uint64_t paced_until_us(const ResolverState& r) const;
  std::uint32_t retries_of(const Task& task) const;
  std::uint64_t handle_of(std::uint32_t index) const;
  Slot* slot_for(std::uint64_t handle);
  void start_query(PendingTask&& item, ResolverState& r, std::uint64_t now_us);
  void send_udp_attempt(std::uint32_t index, std::uint64_t now_us);
  /// The next UDP attempt, when the per-resolver and global rates let it go.
  void retransmit(std::uint32_t index, std::uint64_t now_us);
  void switch_to_tcp(std::uint32_t index, std::uint64_t now_us);
  void on_timeout(std::uint32_t index, std::uint64_t now_us);
  void reject_malformed(std::uint32_t index, std::string reason, std::uint64_t now_us);
  void accept_answer(std::uint32_t index, ParsedResponse& response, Transport transport,
                     std::uint64_t sent_us, std::uint64_t now_us);
  void start_linger(std::uint32_t index, Observation& o, std::uint64_t now_us);
  /// Moves what identifies the slot's task (resolver, name, type, index) into its observation.
  void take_task(Slot& s, Observation& o) {
    o.resolver = s.task.resolver;
    if (renderer_)
      o.qname.assign(s.task.qname);  // into the scratch observation's memory
    else
      o.qname = std::move(s.task.qname);
    o.qtype = s.task.qtype;
    o.task_index = s.task.index;
  }
  void leave_flight(Slot& slot);
  void finish(std::uint32_t index, Outcome outcome, std::string error, std::uint64_t now_us);
  void release_slot(std::uint32_t index, std::uint64_t now_us);
  void count_unsolicited(const Endpoint& from, std::uint32_t* counter);
  Observation& observation_of(Slot& s);
  void deliver(Observation& o, std::unique_ptr<Observation>& owner);

  // lingering queries (query_engine_linger.cpp)
  static constexpr std::uint32_t linger_tag = 0x80000000u;   ///< in udp_keys_: a Lingering, not a slot
  static constexpr std::uint32_t linger_seq_mask = 0x3fffffffu;
  Lingering* lingering_for(std::uint32_t tagged);
  void on_lingering_datagram(Lingering& l, const Endpoint& from, std::span<const std::uint8_t> data,
                             std::uint64_t now_us);
  void expire_lingers(std::uint64_t now_us);
  std::uint64_t answer_digest(int rcode, const std::vector<ResourceRecord>& answers);

  EngineConfig config_;
  QueryIo& io_;
  RandomSource& random_;
  ObservationSink sink_;
  ObservationRenderer* renderer_ = nullptr;
  TokenBucket global_;
  EngineStats stats_;

  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t used_slots_ = 0;
  std::size_t in_flight_ = 0;
  QueryIdTable udp_keys_;  ///< socket<<16|id -> slot

  PendingQueues pending_;
  std::unordered_map<Endpoint, ResolverState, EndpointHash> resolvers_;
  std::deque<ResolverState*> ready_;
  std::priority_queue<Sleeper, std::vector<Sleeper>, std::greater<>> sleeping_;
  std::uint64_t global_wake_us_ = 0;
  std::size_t resolvers_after_cleanup_ = 0;
  std::uint64_t longest_pace_us_ = 0;  ///< of any task so far: a resolver is kept that long after a send
  std::uint64_t last_cleanup_us_ = 0;

  /// Dedupe key -> queries in flight with it.
  OutstandingSet outstanding_;
  std::unordered_multimap<std::uint64_t, PendingTask> blocked_;         ///< waiting for a twin

  ObservationPool observations_;

  /// Slots waiting for an answer, oldest deadline first (intrusive, through Slot::prev/next).
  std::uint32_t waiting_head_ = none, waiting_tail_ = none;
  void arm(std::uint32_t index, std::uint64_t deadline_us);
  void disarm(std::uint32_t index);

  /// Lingering queries, oldest first, found by sequence number.
  SequenceRing<Lingering> lingers_;
  /// Their text (question name in wire form, then the rendered line), in acceptance order.
  LingerText linger_text_;

  std::uint64_t digest_key_[2] = {0, 0};  ///< SipHash key for answer digests, drawn at start
  ParsedResponse parsed_;        ///< reused for every response: its records keep their memory
  Observation render_scratch_;   ///< the observation being rendered (with a renderer)
  std::string text_scratch_;
  std::string digest_scratch_;

  std::vector<std::uint8_t> scratch_;
  std::string scratch_wire_;  ///< a name's wire form while a task is checked on intake

  std::unordered_map<Endpoint, std::uint64_t, EndpointHash> unsolicited_by_source_;
};

}  // namespace mxsentry
