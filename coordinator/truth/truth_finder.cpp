#include "coordinator/truth/truth_finder.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <tuple>
#include <utility>

#include "prober/core/response_parse.h"
#include "protocol/dns/codes.h"

namespace mxsentry {

namespace {

constexpr std::uint16_t type_a = LDNS_RR_TYPE_A, type_aaaa = LDNS_RR_TYPE_AAAA, type_ns = LDNS_RR_TYPE_NS,
                        type_soa = LDNS_RR_TYPE_SOA, type_cname = LDNS_RR_TYPE_CNAME, type_ds = LDNS_RR_TYPE_DS,
                        type_dnskey = LDNS_RR_TYPE_DNSKEY, type_nsec = LDNS_RR_TYPE_NSEC,
                        type_nsec3 = LDNS_RR_TYPE_NSEC3;

Observation budget_exhausted(const Task& task) {
  Observation o;
  o.resolver = task.resolver;
  o.qname = task.qname;
  o.qtype = task.qtype;
  o.outcome = Outcome::network_error;
  o.error = "query budget for this name exhausted";
  return o;
}

// bogus > indeterminate > insecure > secure: the weakest link decides.
int weight(dnssec::Status s) {
  switch (s) {
    case dnssec::Status::secure: return 0;
    case dnssec::Status::insecure: return 1;
    case dnssec::Status::indeterminate: return 2;
    case dnssec::Status::bogus: return 3;
  }
  return 2;
}

dnssec::Verdict weakest(const dnssec::Verdict& a, const dnssec::Verdict& b) {
  return weight(b.status) > weight(a.status) ? b : a;
}

std::uint32_t min_ttl(const ldns_rr_list* list) {
  std::uint32_t ttl = UINT32_MAX;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) ttl = std::min(ttl, ldns_rr_ttl(ldns_rr_list_rr(list, i)));
  return ttl == UINT32_MAX ? 0 : ttl;
}

// The addresses in A/AAAA records.
std::vector<Endpoint> addresses_in(const ldns_rr_list* records) {
  std::vector<Endpoint> out;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(records); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(records, i);
    const ldns_rdf* rdf = ldns_rr_rdf(rr, 0);
    bool v4 = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A;
    std::size_t size = v4 ? 4 : 16;
    if (!rdf || ldns_rdf_size(rdf) != size) continue;
    Endpoint e;
    e.family = v4 ? AF_INET : AF_INET6;
    std::memcpy(e.address.data(), ldns_rdf_data(rdf), size);
    out.push_back(e);
  }
  return out;
}

// NSEC and NSEC3 records of the authority section with the RRSIGs that cover them.
std::pair<RrList, RrList> denial_records(const DnsMessage& m) {
  RrList denial = m.records(LDNS_SECTION_AUTHORITY, type_nsec);
  RrList nsec3 = m.records(LDNS_SECTION_AUTHORITY, type_nsec3);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(nsec3.get()); ++i)
    ldns_rr_list_push_rr(denial.get(), ldns_rr_clone(ldns_rr_list_rr(nsec3.get(), i)));
  RrList sigs = m.signatures(LDNS_SECTION_AUTHORITY, type_nsec);
  RrList sigs3 = m.signatures(LDNS_SECTION_AUTHORITY, type_nsec3);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(sigs3.get()); ++i)
    ldns_rr_list_push_rr(sigs.get(), ldns_rr_clone(ldns_rr_list_rr(sigs3.get(), i)));
  return {std::move(denial), std::move(sigs)};
}

}  // namespace

// ---- queries as awaitables ------------------------------------------------------------------

TruthFinder::Batch::Batch(TruthFinder& finder, std::vector<Task> tasks, Budget* budget) : finder_(finder) {
  results_.resize(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (budget->used >= budget->limit) {
      results_[i] = budget_exhausted(tasks[i]);  // answered at once, never sent
      continue;
    }
    ++budget->used;
    tasks_.push_back(std::move(tasks[i]));
    slots_.push_back(i);
  }
}

void TruthFinder::Batch::await_suspend(std::coroutine_handle<> handle) {
  remaining_ = tasks_.size();
  for (std::size_t j = 0; j < tasks_.size(); ++j) {
    Task& task = tasks_[j];
    task.index = finder_.next_id_++;
    finder_.waiting_.emplace(task.index, Waiter{&results_[slots_[j]], &remaining_, handle});
    finder_.outbox_.push_back(std::move(task));
  }
}

Task TruthFinder::query(const Endpoint& server, const std::string& qname, std::uint16_t qtype) const {
  Task t;
  t.resolver = server;
  t.qname = qname;
  t.qtype = qtype;
  t.recursion_desired = false;  // authoritative servers are asked, not resolvers
  t.keep_message = true;
  return t;
}

std::optional<Task> TruthFinder::next() {
  if (outbox_at_ >= outbox_.size()) {
    outbox_.clear();
    outbox_at_ = 0;
    return std::nullopt;
  }
  return std::move(outbox_[outbox_at_++]);
}

bool TruthFinder::finished() const {
  return std::all_of(jobs_.begin(), jobs_.end(), [](const Lazy<Truth>& job) { return job.done(); });
}

void TruthFinder::deliver(Observation&& observation) {
  auto it = waiting_.find(observation.task_index);
  if (it == waiting_.end()) return;  // not ours (or delivered twice): ignored
  Waiter waiter = it->second;
  waiting_.erase(it);
  *waiter.out = std::move(observation);
  if (--*waiter.remaining == 0) waiter.handle.resume();
}

// ---- requests -------------------------------------------------------------------------------

TruthFinder::TruthFinder(TruthConfig config, std::vector<NameServer> root_servers, dnssec::Validator& validator,
                         Clock clock)
    : config_(config), validator_(validator), clock_(std::move(clock)) {
  root_.zone = ".";
  root_.servers = std::move(root_servers);
}

TruthFinder::~TruthFinder() = default;

void TruthFinder::request(const std::string& qname, std::uint16_t qtype) {
  budgets_.push_back(std::make_unique<Budget>(Budget{0, config_.max_queries_per_name}));
  jobs_.push_back(answer_request(jobs_.size(), canonical_name(qname), qtype, budgets_.back().get()));
  jobs_.back().start();
}

Lazy<Truth> TruthFinder::answer_request(std::size_t place, std::string qname, std::uint16_t qtype, Budget* budget) {
  Truth truth = co_await find_truth(std::move(qname), qtype, budget, 0);
  found_.emplace_back(place, truth);
  co_return truth;
}

std::vector<std::pair<std::size_t, Truth>> TruthFinder::take_found() { return std::exchange(found_, {}); }

std::vector<Truth> TruthFinder::take_results() {
  std::vector<Truth> out;
  for (auto& job : jobs_) {
    if (!job.done()) continue;
    try {
      out.push_back(job.take());
    } catch (const std::exception& e) {  // a bug must not lose the other names' results
      Truth failed;
      failed.error = std::string("internal error: ") + e.what();
      out.push_back(std::move(failed));
    }
  }
  jobs_.clear();
  budgets_.clear();
  found_.clear();
  return out;
}

// ---- zones and servers ----------------------------------------------------------------------

const Delegation& TruthFinder::closest_delegation(const std::string& qname) {
  std::uint32_t now = clock_();
  std::string name = qname;
  while (name != ".") {
    auto it = delegations_.find(name);
    if (it != delegations_.end() && (it->second.expires == 0 || it->second.expires > now)) return it->second;
    auto dot = name.find('.');
    name = dot + 1 < name.size() ? name.substr(dot + 1) : ".";
  }
  return root_;
}

Delegation TruthFinder::delegation_from(const DnsMessage& message, const std::string& zone, const std::string& parent,
                                       ldns_pkt_section section) const {
  Delegation d;
  d.zone = zone;
  RrList ns = message.records(section, type_ns, &zone);
  d.expires = clock_() + std::max<std::uint32_t>(1, min_ttl(ns.get()));
  for (const auto& name : message.ns_names(zone, section)) {
    NameServer server{name, {}};
    // Glue is taken only for names inside the zone that sent it (no cross-zone poisoning).
    if (in_zone(name, parent)) server.addresses = message.glue(name, config_.ipv6);
    d.servers.push_back(std::move(server));
  }
  return d;
}

Lazy<std::vector<TruthFinder::ServerAddress>> TruthFinder::server_addresses(Delegation* zone, Budget* budget,
                                                                            unsigned depth) {
  std::vector<ServerAddress> out;
  for (auto& server : zone->servers) {
    if (server.addresses.empty()) {
      auto cached = addresses_.find(server.name);
      if (cached != addresses_.end() && cached->second.second > clock_()) {
        server.addresses = cached->second.first;
      } else if (!in_zone(server.name, zone->zone) && depth < config_.max_ns_lookup_depth &&
                 !resolving_.contains(server.name)) {
        // An out-of-bailiwick name server: its address is a lookup of its own.
        server.addresses = co_await addresses_of(server.name, budget, depth + 1);
      }
    }
    for (const auto& address : server.addresses) out.push_back(ServerAddress{server.name, address});
  }
  co_return out;
}

Lazy<std::vector<Endpoint>> TruthFinder::addresses_of(std::string name, Budget* budget, unsigned depth) {
  resolving_.insert(name);
  std::vector<Endpoint> found;
  std::uint32_t ttl = 300;
  for (int round = 0; round < 2; ++round) {
    std::uint16_t type = round == 0 ? type_a : type_aaaa;
    if (type == type_aaaa && !config_.ipv6) continue;
    ZoneSearch search = co_await find_zone(name, type, budget, depth);
    if (!search.zone) continue;
    auto servers = co_await server_addresses(&*search.zone, budget, depth);
    for (const auto& server : servers) {
      auto answers = co_await ask_one(query(server.address, name, type), budget);
      auto message = answers[0].outcome == Outcome::answer ? DnsMessage::parse(answers[0].message) : std::nullopt;
      if (!message || !message->authoritative() || message->rcode() != LDNS_RCODE_NOERROR) continue;
      RrList records = message->records(LDNS_SECTION_ANSWER, type, &name);
      for (const Endpoint& e : addresses_in(records.get())) found.push_back(e);
      if (ldns_rr_list_rr_count(records.get()) > 0) ttl = std::min(ttl, std::max<std::uint32_t>(1, min_ttl(records.get())));
      break;
    }
  }
  resolving_.erase(name);
  addresses_[name] = {found, clock_() + ttl};
  co_return found;
}

Lazy<TruthFinder::ZoneSearch> TruthFinder::find_zone(std::string qname, std::uint16_t qtype, Budget* budget,
                                                     unsigned depth) {
  co_await ensure_root_keys(budget);
  Delegation current = closest_delegation(qname);
  for (unsigned hop = 0; hop < config_.max_referrals; ++hop) {
    auto servers = co_await server_addresses(&current, budget, depth);
    if (servers.empty()) co_return ZoneSearch{std::nullopt, "no address for any server of " + current.zone};
    std::string problem;
    bool moved = false;
    for (const auto& server : servers) {
      auto answers = co_await ask_one(query(server.address, qname, qtype), budget);
      const Observation& o = answers[0];
      std::string who = server.name + " (" + server.address.to_string() + ")";
      if (o.outcome != Outcome::answer) {
        problem = who + ": " + (o.error.empty() ? to_string(o.outcome) : o.error);
        continue;
      }
      auto message = DnsMessage::parse(o.message);
      if (!message) {
        problem = who + ": unparseable answer";
        continue;
      }
      if (auto child = message->referral_zone()) {
        // Progress or nothing: a referral must lead strictly closer to the name.
        if (*child == current.zone || !in_zone(*child, current.zone) || !in_zone(qname, *child)) {
          problem = who + ": referral to " + *child + " does not lead below " + current.zone + " (lame)";
          continue;
        }
        Delegation next = delegation_from(*message, *child, current.zone, LDNS_SECTION_AUTHORITY);
        co_await learn_security(current, next, std::move(message), budget);
        delegations_[next.zone] = next;
        current = std::move(next);
        moved = true;
        break;
      }
      int rcode = message->rcode();
      if (message->authoritative() && (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN)) {
        // The zone holding the name is served here. Its apex is the owner of the SOA; a
        // positive answer carries none, so ask for it.
        std::optional<std::string> apex = message->soa_owner();
        if (!apex) {
          auto soa = co_await ask_one(query(server.address, qname, type_soa), budget);
          auto soa_message = soa[0].outcome == Outcome::answer ? DnsMessage::parse(soa[0].message) : std::nullopt;
          if (soa_message) apex = soa_message->soa_owner();
        }
        if (!apex || !in_zone(qname, *apex) || !in_zone(*apex, current.zone) || *apex == current.zone)
          co_return ZoneSearch{current, {}};
        // One server holds the parent and the child: the cut gave no referral. The child's
        // servers are its apex NS set.
        auto ns = co_await ask_one(query(server.address, *apex, type_ns), budget);
        auto ns_message = ns[0].outcome == Outcome::answer ? DnsMessage::parse(ns[0].message) : std::nullopt;
        if (!ns_message) co_return ZoneSearch{current, {}};
        Delegation child = delegation_from(*ns_message, *apex, *apex, LDNS_SECTION_ANSWER);
        if (child.servers.empty()) co_return ZoneSearch{current, {}};
        co_await learn_security(current, child, std::nullopt, budget);
        delegations_[child.zone] = child;
        co_return ZoneSearch{child, {}};
      }
      problem = who + ": " + rcode_name(rcode) + (message->authoritative() ? "" : " without authority") + " (lame)";
    }
    if (!moved) co_return ZoneSearch{std::nullopt, "no usable answer from the servers of " + current.zone + ": " + problem};
  }
  co_return ZoneSearch{std::nullopt, "more than " + std::to_string(config_.max_referrals) + " referrals"};
}

// ---- DNSSEC chain ---------------------------------------------------------------------------

Lazy<bool> TruthFinder::ensure_root_keys(Budget* budget) {
  if (root_keys_.open || !validator_.has_trust_anchor(".")) co_return true;
  if (root_keys_.started) {
    // Another lookup is fetching them: going on now would meet every referral with the
    // root's status unknown, and cache delegations whose security was never learned.
    co_await GateAwaiter{root_keys_};
    co_return true;
  }
  root_keys_.started = true;
  bool secure = co_await fetch_keys(root_, budget);
  root_keys_.open = true;
  for (auto handle : std::exchange(root_keys_.waiting, {})) handle.resume();
  co_return secure;
}

Lazy<bool> TruthFinder::fetch_keys(Delegation zone, Budget* budget) {
  auto servers = co_await server_addresses(&zone, budget, 0);
  for (const auto& server : servers) {
    auto answers = co_await ask_one(query(server.address, zone.zone, type_dnskey), budget);
    auto message = answers[0].outcome == Outcome::answer ? DnsMessage::parse(answers[0].message) : std::nullopt;
    if (!message || message->rcode() != LDNS_RCODE_NOERROR) continue;
    RrList keys = message->records(LDNS_SECTION_ANSWER, type_dnskey, &zone.zone);
    RrList sigs = message->signatures(LDNS_SECTION_ANSWER, type_dnskey, &zone.zone);
    auto verdict = validator_.accept_dnskeys(zone.zone, keys.get(), sigs.get(), clock_());
    co_return verdict.status == dnssec::Status::secure;
  }
  co_return false;  // the zone stays indeterminate: its keys could not be had
}

Lazy<bool> TruthFinder::learn_security(Delegation parent, Delegation child, std::optional<DnsMessage> referral,
                                       Budget* budget) {
  dnssec::Status parent_status = validator_.zone_status(parent.zone);
  if (parent_status == dnssec::Status::insecure) {
    // (The validator derives this too; recording it keeps the reason with the zone.)
    try {
      validator_.inherit_insecure(child.zone, parent.zone);
    } catch (const std::invalid_argument&) {
    }
    co_return true;
  }
  if (parent_status != dnssec::Status::secure) co_return false;
  // DS or its denial: from the referral if it carried them, else asked of the parent.
  for (int round = 0; round < 2; ++round) {
    std::optional<DnsMessage> source = std::move(referral);
    referral.reset();
    ldns_pkt_section section = LDNS_SECTION_AUTHORITY;
    if (!source) {
      auto servers = co_await server_addresses(&parent, budget, 0);
      for (const auto& server : servers) {
        auto answers = co_await ask_one(query(server.address, child.zone, type_ds), budget);
        if (answers[0].outcome != Outcome::answer) continue;
        source = DnsMessage::parse(answers[0].message);
        if (source) break;
      }
      if (!source) break;
      section = LDNS_SECTION_ANSWER;
    }
    RrList ds = source->records(section, type_ds, &child.zone);
    if (ldns_rr_list_rr_count(ds.get()) > 0) {
      RrList sigs = source->signatures(section, type_ds, &child.zone);
      auto verdict = validator_.accept_ds(child.zone, parent.zone, ds.get(), sigs.get(), clock_());
      if (verdict.status == dnssec::Status::secure) co_return co_await fetch_keys(child, budget);
      co_return false;
    }
    auto [denial, sigs] = denial_records(*source);
    if (ldns_rr_list_rr_count(denial.get()) > 0) {
      auto verdict = validator_.accept_no_ds(child.zone, parent.zone, denial.get(), sigs.get(), clock_());
      co_return verdict.status == dnssec::Status::insecure;
    }
  }
  co_return false;  // neither DS nor its denial: the child stays indeterminate
}

dnssec::Verdict TruthFinder::validate_answer(const std::string& zone, const DnsMessage& message,
                                             const std::string& qname, std::uint16_t qtype) const {
  dnssec::Status zone_status = validator_.zone_status(zone);
  if (zone_status == dnssec::Status::bogus) {
    return {dnssec::Status::bogus, validator_.zone_reason(zone)};
  }
  std::uint32_t now = clock_();
  RrList answer = message.records(LDNS_SECTION_ANSWER);
  std::set<std::pair<std::string, std::uint16_t>> rrsets;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer.get()); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(answer.get(), i);
    std::uint16_t type = ldns_rr_get_type(rr);
    std::string owner = canonical_name(ldns_rr_owner(rr));
    if (type != LDNS_RR_TYPE_RRSIG && in_zone(owner, zone)) rrsets.emplace(owner, type);
  }
  dnssec::Verdict verdict{dnssec::Status::secure, {}};
  if (rrsets.empty()) {
    bool nxdomain = message.rcode() == LDNS_RCODE_NXDOMAIN;
    auto [denial, sigs] = denial_records(message);
    return validator_.verify_denial(zone, qname, qtype, nxdomain, denial.get(), sigs.get(), now);
  }
  for (const auto& [owner, type] : rrsets) {
    RrList rrset = message.records(LDNS_SECTION_ANSWER, type, &owner);
    RrList sigs = message.signatures(LDNS_SECTION_ANSWER, type, &owner);
    verdict = weakest(verdict, validator_.verify_rrset(zone, rrset.get(), sigs.get(), now));
  }
  return verdict;
}

// ---- the truth for one name -----------------------------------------------------------------

Lazy<Truth> TruthFinder::find_truth(std::string qname, std::uint16_t qtype, Budget* budget, unsigned chain) {
  Truth truth;
  truth.qname = qname;
  truth.qtype = qtype;
  ZoneSearch search = co_await find_zone(qname, qtype, budget, 0);
  if (!search.zone) {
    truth.error = search.error;
    truth.dnssec = {dnssec::Status::indeterminate, "no authoritative answer"};
    co_return truth;
  }
  Delegation zone = *search.zone;
  truth.zone = zone.zone;
  auto servers = co_await server_addresses(&zone, budget, 0);
  std::vector<Task> tasks;
  for (unsigned r = 0; r < config_.repeat; ++r)
    for (const auto& server : servers) tasks.push_back(query(server.address, qname, qtype));
  auto answers = co_await ask(std::move(tasks), budget);

  struct Key {
    std::string name;
    std::uint16_t type;
    std::string rdata;
    bool operator<(const Key& o) const { return std::tie(name, type, rdata) < std::tie(o.name, o.type, o.rdata); }
  };
  std::map<Key, ResourceRecord> union_records;
  std::map<int, int> rcodes;
  truth.dnssec = {dnssec::Status::secure, {}};
  bool any_answer = false;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    Observation& o = answers[i];
    ServerAnswer sa;
    sa.server = servers[i % servers.size()].name;
    sa.address = servers[i % servers.size()].address;
    sa.outcome = o.outcome;
    sa.error = o.error;
    if (o.outcome == Outcome::answer) {
      sa.rcode = o.rcode;
      sa.authoritative = o.flags.aa;
      sa.answers = o.answers;
      sa.rrsigs = o.rrsigs.size();
      auto message = DnsMessage::parse(o.message);
      if (message && sa.authoritative) {
        sa.dnssec = validate_answer(zone.zone, *message, qname, qtype);
        truth.dnssec = weakest(truth.dnssec, sa.dnssec);
        any_answer = true;
        ++rcodes[sa.rcode];
        for (const auto& r : o.answers) {
          ResourceRecord record = r;
          record.name = canonical_name(r.name);
          auto [it, inserted] = union_records.try_emplace(Key{record.name, record.type, record.rdata}, record);
          if (!inserted) it->second.ttl = std::max(it->second.ttl, record.ttl);  // the original TTL
        }
      } else if (!sa.authoritative) {
        sa.error = "answer without the AA bit (lame server)";
      }
    }
    truth.servers.push_back(std::move(sa));
  }
  if (!any_answer) {
    truth.error = "no authoritative answer from any server of " + zone.zone;
    truth.dnssec = {dnssec::Status::indeterminate, "no authoritative answer"};
    co_return truth;
  }
  // Data wins over NXDOMAIN/NODATA if servers disagree; otherwise the most common rcode.
  truth.rcode = union_records.empty()
                    ? std::max_element(rcodes.begin(), rcodes.end(), [](auto& a, auto& b) { return a.second < b.second; })->first
                    : 0;
  bool first_ttl = true;
  for (auto& [key, record] : union_records) {
    truth.ttl_min = first_ttl ? record.ttl : std::min(truth.ttl_min, record.ttl);
    truth.ttl_max = first_ttl ? record.ttl : std::max(truth.ttl_max, record.ttl);
    first_ttl = false;
    truth.answers.push_back(record);
  }

  // A CNAME (not asked for) leads on to its target, wherever that is served.
  if (qtype != type_cname) {
    std::string target;
    for (const auto& r : truth.answers)
      if (r.type == type_cname && r.name == qname) target = canonical_name(r.rdata);
    bool answered_in_zone = std::any_of(truth.answers.begin(), truth.answers.end(),
                                        [&](const ResourceRecord& r) { return r.name == target && r.type == qtype; });
    if (!target.empty() && !answered_in_zone) {
      if (chain >= config_.max_cname_chain) {
        truth.error = "CNAME chain longer than " + std::to_string(config_.max_cname_chain);
        co_return truth;
      }
      Truth next = co_await find_truth(target, qtype, budget, chain + 1);
      truth.cname_chain.push_back(target);
      truth.cname_chain.insert(truth.cname_chain.end(), next.cname_chain.begin(), next.cname_chain.end());
      for (auto& r : next.answers) truth.answers.push_back(r);
      if (!next.answers.empty()) {
        truth.ttl_min = std::min(truth.ttl_min, next.ttl_min);
        truth.ttl_max = std::max(truth.ttl_max, next.ttl_max);
      }
      truth.rcode = next.rcode;
      if (!next.error.empty()) truth.error = "at " + target + ": " + next.error;
      truth.dnssec = weakest(truth.dnssec, next.dnssec);
    } else if (!target.empty()) {
      truth.cname_chain.push_back(target);
    }
  }
  co_return truth;
}

}  // namespace mxsentry
