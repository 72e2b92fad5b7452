#pragma once
// The truth iterator: from the root hints down the referrals to the zone that holds a name,
// then every authoritative server of that zone (every NS name, every address) asked a few
// times with RD=0 and DO=1, and the DNSSEC chain from the trust anchor checked on the way.
//
// It is sans-I/O. Each lookup is a coroutine; what it awaits are queries it hands out as
// Tasks through the TaskFeed interface (the UvQueryDriver runs them on the query engine), and
// the Observations come back through deliver(). Unit tests drive it with a simulated network.

#include <coroutine>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "coordinator/truth/dns_message.h"
#include "coordinator/truth/dnssec_validator.h"
#include "coordinator/truth/lazy.h"
#include "coordinator/truth/truth_types.h"
#include "prober/io/task_feed.h"

namespace mxsentry {

struct TruthConfig {
  unsigned repeat = 2;                 ///< times every server is asked the question
  unsigned max_referrals = 20;         ///< per zone search
  unsigned max_cname_chain = 8;
  unsigned max_queries_per_name = 400;  ///< all the work one requested name may cause
  unsigned max_ns_lookup_depth = 4;    ///< name servers whose addresses need their own lookup
  bool ipv6 = false;                   ///< also ask servers over IPv6
};

class TruthFinder final : public TaskFeed {
 public:
  using Clock = std::function<std::uint32_t()>;  ///< Unix seconds: TTL caching and DNSSEC validity

  TruthFinder(TruthConfig config, std::vector<NameServer> root_servers, dnssec::Validator& validator, Clock clock);
  ~TruthFinder() override;
  TruthFinder(const TruthFinder&) = delete;
  TruthFinder& operator=(const TruthFinder&) = delete;

  /// Starts finding the truth for (qname, qtype).
  void request(const std::string& qname, std::uint16_t qtype);
  /// The results, in request order, once finished().
  std::vector<Truth> take_results();
  /// The truths found since the last call, each with its request's place (0 for the first
  /// request()), as they finish: a caller can use each before the last is found. take_results
  /// still gives every one.
  std::vector<std::pair<std::size_t, Truth>> take_found();

  // TaskFeed: the queries the lookups wait for.
  std::optional<Task> next() override;
  bool finished() const override;
  /// An answer (or failure) for a task handed out by next().
  void deliver(Observation&& observation);

  std::uint64_t queries() const { return next_id_; }

 private:
  struct Budget {
    unsigned used = 0;
    unsigned limit = 0;
  };
  struct Waiter {
    Observation* out;
    std::size_t* remaining;
    std::coroutine_handle<> handle;
  };
  /// Awaitable: a batch of queries sent together, resumed when all have come back.
  class Batch {
   public:
    Batch(TruthFinder& finder, std::vector<Task> tasks, Budget* budget);
    bool await_ready() const { return tasks_.empty(); }
    void await_suspend(std::coroutine_handle<> handle);
    std::vector<Observation> await_resume() { return std::move(results_); }

   private:
    TruthFinder& finder_;
    std::vector<Task> tasks_;
    std::vector<std::size_t> slots_;  ///< where each sent task's result goes
    std::vector<Observation> results_;
    std::size_t remaining_ = 0;
  };
  /// Coroutines that wait for something another coroutine is already doing.
  struct Gate {
    bool open = false;
    bool started = false;
    std::vector<std::coroutine_handle<>> waiting;
  };
  struct GateAwaiter {
    Gate& gate;
    bool await_ready() const { return gate.open; }
    void await_suspend(std::coroutine_handle<> handle) { gate.waiting.push_back(handle); }
    void await_resume() const {}
  };
  struct ZoneSearch {
    std::optional<Delegation> zone;
    std::string error;
  };
  struct ServerAddress {
    std::string name;
    Endpoint address;
  };

  Batch ask(std::vector<Task> tasks, Budget* budget) { return Batch(*this, std::move(tasks), budget); }
  /// One query. (Not ask({task}): g++ 12 mishandles an initializer_list's array that lives
  /// across a coroutine suspension, "array used as initializer".)
  Batch ask_one(Task task, Budget* budget) {
    std::vector<Task> tasks;
    tasks.push_back(std::move(task));
    return Batch(*this, std::move(tasks), budget);
  }
  Task query(const Endpoint& server, const std::string& qname, std::uint16_t qtype) const;

  Lazy<Truth> find_truth(std::string qname, std::uint16_t qtype, Budget* budget, unsigned chain);
  /// A request's lookup: find_truth, then a copy for take_found().
  Lazy<Truth> answer_request(std::size_t place, std::string qname, std::uint16_t qtype, Budget* budget);
  Lazy<ZoneSearch> find_zone(std::string qname, std::uint16_t qtype, Budget* budget, unsigned depth);
  Lazy<std::vector<ServerAddress>> server_addresses(Delegation* zone, Budget* budget, unsigned depth);
  Lazy<std::vector<Endpoint>> addresses_of(std::string name, Budget* budget, unsigned depth);
  Lazy<bool> learn_security(Delegation parent, Delegation child, std::optional<DnsMessage> referral, Budget* budget);
  Lazy<bool> fetch_keys(Delegation zone, Budget* budget);
  Lazy<bool> ensure_root_keys(Budget* budget);

  const Delegation& closest_delegation(const std::string& qname);
  Delegation delegation_from(const DnsMessage& message, const std::string& zone, const std::string& parent,
                             ldns_pkt_section section) const;
  dnssec::Verdict validate_answer(const std::string& zone, const DnsMessage& message, const std::string& qname,
                                  std::uint16_t qtype) const;

  TruthConfig config_;
  Delegation root_;
  dnssec::Validator& validator_;
  Clock clock_;
  Gate root_keys_;  ///< every search waits until the root's keys are checked

  std::map<std::string, Delegation> delegations_;
  std::map<std::string, std::pair<std::vector<Endpoint>, std::uint32_t>> addresses_;
  std::set<std::string> resolving_;  ///< name server names being looked up (cycle guard)

  std::vector<Lazy<Truth>> jobs_;
  std::vector<std::unique_ptr<Budget>> budgets_;
  std::vector<std::pair<std::size_t, Truth>> found_;  ///< for take_found()
  std::vector<Task> outbox_;
  std::size_t outbox_at_ = 0;
  std::unordered_map<std::uint64_t, Waiter> waiting_;
  std::uint64_t next_id_ = 0;
};

}  // namespace mxsentry
