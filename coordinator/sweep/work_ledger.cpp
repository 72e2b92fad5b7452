#include "coordinator/sweep/work_ledger.h"

#include <algorithm>

namespace mxsentry {

void WorkLedger::add_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner,
                          std::int64_t lease_ms, int priority) {
  restore_unit(unit, tasks, std::move(owner), {}, lease_ms, priority);
}

void WorkLedger::restore_unit(std::uint64_t unit, std::uint32_t tasks, std::optional<std::string> owner,
                              const std::vector<std::uint32_t>& tasks_done, std::int64_t lease_ms, int priority) {
  auto [it, fresh] = units_.try_emplace(unit);
  Unit& u = it->second;
  if (!fresh) {  // the same id again: the old unit goes, from the queue and from its holder
    queue_.erase(key(unit, u));
    detach(unit, u);
  }
  u = Unit{};
  u.tasks = tasks;
  u.lease_ms = lease_ms > 0 ? lease_ms : config_.lease_ms;
  u.priority = priority;
  u.owner = std::move(owner);
  u.results.assign(tasks, false);
  for (std::uint32_t t : tasks_done)
    if (t < tasks && !u.results[t]) {
      u.results[t] = true;
      ++u.result_count;
    }
  if (u.result_count == u.tasks)
    retire(it);
  else
    queue_.insert(key(unit, u));
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
    // Never more units out than it can run: what it holds counts against its capacity, except
    // the express unit, which runs beside the capacity.
    std::uint32_t held = static_cast<std::uint32_t>(p.holding.size() - (p.express ? 1 : 0));
    p.credit = std::min(p.credit, p.capacity > held ? p.capacity - held : 0);
  }
}

bool WorkLedger::detach(std::uint64_t unit, Unit& u) {
  if (!u.holder) return false;
  bool paid = false;
  auto p = probers_.find(*u.holder);
  if (p != probers_.end() && p->second.holding.erase(unit)) {
    if (p->second.express == unit)
      p->second.express.reset();
    else
      paid = true;
  }
  u.holder.reset();
  return paid;
}

void WorkLedger::drop_unit(std::uint64_t unit) {
  auto it = units_.find(unit);
  if (it == units_.end()) return;
  queue_.erase(key(unit, it->second));
  std::optional<std::string> holder = it->second.holder;
  if (detach(unit, it->second)) ++probers_[*holder].credit;  // an express unit took no credit
  units_.erase(it);
}

void WorkLedger::lease(const std::string& name, Prober& p, std::uint64_t unit, Unit& u, std::int64_t now,
                       bool express) {
  u.holder = name;
  u.deadline_ms = now + u.lease_ms;
  u.leased_ms = now;
  p.holding.insert(unit);
  if (express)
    p.express = unit;
  else
    --p.credit;
}

std::vector<Lease> WorkLedger::assign(const std::string& prober, std::int64_t now,
                                      const std::function<bool(std::uint64_t unit)>& may_run) {
  std::vector<Lease> out;
  auto it = probers_.find(prober);
  if (it == probers_.end()) return out;
  Prober& p = it->second;
  auto eligible = [&](std::uint64_t unit, const Unit& u) {
    if (u.owner && *u.owner != prober) return false;
    return !may_run || may_run(unit);
  };
  // Ordinary units, by credit, in queue order (priority units first).
  for (auto q = queue_.begin(); q != queue_.end() && p.credit > 0;) {
    std::uint64_t unit = q->second;
    Unit& u = units_.at(unit);
    if (!eligible(unit, u)) {
      ++q;
      continue;
    }
    lease(prober, p, unit, u, now, false);
    out.push_back(Lease{unit, u.deadline_ms, false});
    q = queue_.erase(q);
  }
  // The express lane: one priority unit beyond the credit. The queue is ordered by priority,
  // so the search ends at the first unit of priority 0 or less.
  if (!p.express) {
    for (auto q = queue_.begin(); q != queue_.end() && q->first < 0; ++q) {
      std::uint64_t unit = q->second;
      Unit& u = units_.at(unit);
      if (!eligible(unit, u)) continue;
      lease(prober, p, unit, u, now, true);
      out.push_back(Lease{unit, u.deadline_ms, true});
      queue_.erase(q);
      break;
    }
  }
  return out;
}

ResultFate WorkLedger::record_result(const std::string& prober, std::uint64_t unit, std::uint32_t task,
                                     std::int64_t now) {
  seen(prober, now);
  auto it = units_.find(unit);
  if (it == units_.end() || task >= it->second.tasks) return ResultFate::unknown_unit;  // done units included
  Unit& u = it->second;
  if (u.results[task]) return ResultFate::duplicate;
  if (u.holder != prober) return ResultFate::not_holder;
  u.results[task] = true;
  ++u.result_count;
  // Progress renews the lease: a prober that holds many units at once (a large credit) runs
  // them side by side under one per-resolver rate, so a unit may rightly take longer than its
  // own tasks would alone; only a unit that stops moving is taken back.
  u.deadline_ms = std::max(u.deadline_ms, std::min(now + u.lease_ms, u.leased_ms + max_hold_leases * u.lease_ms));
  return ResultFate::counted;
}

bool WorkLedger::finish(const std::string& prober, std::uint64_t unit, std::int64_t now) {
  seen(prober, now);
  auto it = units_.find(unit);
  if (it == units_.end()) return false;  // unknown, or done already and forgotten
  Unit& u = it->second;
  if (u.holder != prober) return false;
  detach(unit, u);  // no credit back: the prober's READY gives it (none for an express unit)
  if (u.result_count == u.tasks) {
    retire(it);
    return true;
  }
  queue_.insert(key(unit, u));  // the prober skipped some tasks: they are asked again
  return false;
}

void WorkLedger::retire(std::map<std::uint64_t, Unit>::iterator it) {
  ++done_units_;
  done_tasks_ += it->second.tasks;
  done_results_ += it->second.result_count;
  units_.erase(it);
}

void WorkLedger::requeue(std::uint64_t unit) {
  Unit& u = units_.at(unit);
  detach(unit, u);
  queue_.insert(key(unit, u));
}

void WorkLedger::release(const std::string& prober) {
  auto it = probers_.find(prober);
  if (it == probers_.end()) return;
  std::set<std::uint64_t> holding = it->second.holding;
  for (std::uint64_t unit : holding) requeue(unit);
  probers_.erase(it);
}

bool WorkLedger::unbind(std::uint64_t unit) {
  auto it = units_.find(unit);
  if (it == units_.end()) return false;
  it->second.owner.reset();
  return true;
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

std::size_t WorkLedger::holding(const std::string& prober) const {
  auto it = probers_.find(prober);
  return it == probers_.end() ? 0 : it->second.holding.size();
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

LedgerProgress WorkLedger::progress() const {
  LedgerProgress p;
  p.units = done_units_;
  p.done = done_units_;
  p.tasks = done_tasks_;
  p.results = done_results_;
  for (const auto& [unit, u] : units_) {
    ++p.units;
    if (u.holder)
      ++p.leased;
    else
      ++p.pending;
    p.tasks += u.tasks;
    p.results += u.result_count;
  }
  return p;
}

}  // namespace mxsentry
