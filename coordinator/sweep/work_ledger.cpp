#include "coordinator/sweep/work_ledger.h"

#include <algorithm>

namespace mxsentry {

void WorkLedger::add_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner,
                          std::int64_t lease_ms) {
  restore_unit(unit, tasks, std::move(owner), {}, lease_ms);
}

void WorkLedger::restore_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner,
                              const std::vector<std::uint32_t>& tasks_done, std::int64_t lease_ms) {
  Unit& u = units_[unit];
  u = Unit{};
  u.tasks = tasks;
  u.lease_ms = lease_ms > 0 ? lease_ms : config_.lease_ms;
  u.owner = std::move(owner);
  u.results.assign(tasks, false);
  for (std::uint32_t t : tasks_done)
    if (t < tasks && !u.results[t]) {
      u.results[t] = true;
      ++u.result_count;
    }
  u.done = u.result_count == u.tasks;
  if (!u.done) queue_.insert(unit);
}

void WorkLedger::seen(const std::string& prober, std::int64_t now) { probers_[prober].last_seen_ms = now; }

void WorkLedger::hello(const std::string& prober, std::uint32_t capacity, std::int64_t now) {
  Prober& p = probers_[prober];
  p.last_seen_ms = now;
  p.credit = 0;
  p.capacity = capacity;
}

void WorkLedger::add_credit(const std::string& prober, std::uint32_t credit, std::int64_t now) {
  Prober& p = probers_[prober];
  p.last_seen_ms = now;
  p.credit += credit;
  if (p.capacity > 0) {
    // Never more units out than it can run: what it holds counts against its capacity.
    std::uint32_t held = static_cast<std::uint32_t>(p.holding.size());
    p.credit = std::min(p.credit, p.capacity > held ? p.capacity - held : 0);
  }
}

void WorkLedger::drop_unit(std::uint64_t unit) {
  auto it = units_.find(unit);
  if (it == units_.end()) return;
  queue_.erase(unit);
  if (it->second.holder) {
    auto p = probers_.find(*it->second.holder);
    if (p != probers_.end() && p->second.holding.erase(unit)) ++p->second.credit;
  }
  units_.erase(it);
}

std::vector<Lease> WorkLedger::assign(const std::string& prober, std::int64_t now) {
  std::vector<Lease> out;
  auto it = probers_.find(prober);
  if (it == probers_.end()) return out;
  Prober& p = it->second;
  for (auto q = queue_.begin(); q != queue_.end() && p.credit > 0;) {
    Unit& u = units_[*q];
    if (u.owner && *u.owner != prober) {
      ++q;
      continue;
    }
    u.holder = prober;
    u.deadline_ms = now + u.lease_ms;
    p.holding.insert(*q);
    --p.credit;
    out.push_back(Lease{*q, u.deadline_ms});
    q = queue_.erase(q);
  }
  return out;
}

ResultFate WorkLedger::record_result(const std::string& prober, std::uint64_t unit, std::uint32_t task,
                                     std::int64_t now) {
  seen(prober, now);
  auto it = units_.find(unit);
  if (it == units_.end() || task >= it->second.tasks) return ResultFate::unknown_unit;
  Unit& u = it->second;
  if (u.results[task]) return ResultFate::duplicate;
  if (u.holder != prober) return ResultFate::not_holder;
  u.results[task] = true;
  ++u.result_count;
  return ResultFate::counted;
}

bool WorkLedger::finish(const std::string& prober, std::uint64_t unit, std::int64_t now) {
  seen(prober, now);
  auto it = units_.find(unit);
  if (it == units_.end()) return false;
  Unit& u = it->second;
  if (u.done) return true;
  if (u.holder != prober) return false;
  probers_[prober].holding.erase(unit);
  u.holder.reset();
  if (u.result_count == u.tasks) {
    u.done = true;
    return true;
  }
  queue_.insert(unit);  // the prober skipped some tasks: they are asked again
  return false;
}

void WorkLedger::requeue(std::uint64_t unit) {
  Unit& u = units_[unit];
  if (u.holder) {
    auto p = probers_.find(*u.holder);
    if (p != probers_.end()) p->second.holding.erase(unit);
  }
  u.holder.reset();
  if (!u.done) queue_.insert(unit);
}

void WorkLedger::release(const std::string& prober) {
  auto it = probers_.find(prober);
  if (it == probers_.end()) return;
  std::set<std::uint64_t> holding = it->second.holding;
  for (std::uint64_t unit : holding) requeue(unit);
  probers_.erase(it);
}

std::vector<std::string> WorkLedger::expire(std::int64_t now) {
  std::vector<std::string> dead;
  std::int64_t silence = config_.heartbeat_ms * config_.missed_heartbeats;
  for (const auto& [name, p] : probers_)
    if (now - p.last_seen_ms > silence) dead.push_back(name);
  for (const auto& name : dead) release(name);
  for (auto& [unit, u] : units_) {
    // In `all` mode the unit waits for its own vantage: its lease ends, but nobody else takes it.
    if (u.holder && now >= u.deadline_ms) requeue(unit);
  }
  return dead;
}

std::vector<std::string> WorkLedger::probers() const {
  std::vector<std::string> out;
  for (const auto& [name, p] : probers_) out.push_back(name);
  return out;
}

std::optional<std::int64_t> WorkLedger::last_seen(const std::string& prober) const {
  auto it = probers_.find(prober);
  if (it == probers_.end()) return std::nullopt;
  return it->second.last_seen_ms;
}

std::optional<std::string> WorkLedger::holder(std::uint64_t unit) const {
  auto it = units_.find(unit);
  return it == units_.end() ? std::nullopt : it->second.holder;
}

bool WorkLedger::task_done(std::uint64_t unit, std::uint32_t task) const {
  auto it = units_.find(unit);
  return it != units_.end() && task < it->second.tasks && it->second.results[task];
}

bool WorkLedger::complete() const {
  for (const auto& [unit, u] : units_)
    if (!u.done) return false;
  return true;
}

LedgerProgress WorkLedger::progress() const {
  LedgerProgress p;
  for (const auto& [unit, u] : units_) {
    ++p.units;
    if (u.done)
      ++p.done;
    else if (u.holder)
      ++p.leased;
    else
      ++p.pending;
    p.tasks += u.tasks;
    p.results += u.result_count;
  }
  return p;
}

}  // namespace mxsentry
