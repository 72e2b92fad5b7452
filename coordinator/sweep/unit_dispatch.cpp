#include "coordinator/sweep/unit_dispatch.h"

#include <set>

#include "coordinator/sweep/result_intake.h"
#include "prober/core/not_asked.h"

namespace mxsentry {

UnitDispatch dispatch_units(SweepLifecycle& lifecycle, const std::string& name,
                            const std::map<std::string, std::string>& tags, const OptOut& opt_out, std::int64_t now) {
  UnitDispatch out;
  auto may_run = [&](std::uint64_t unit) { return lifecycle.may_run(unit, tags, now); };
  for (const Lease& lease : lifecycle.ledger().assign(name, now, may_run)) {
    const OpenUnit* unit = lifecycle.unit(lease.unit);
    const SweepState* runtime = unit == nullptr ? nullptr : lifecycle.sweep(unit->sweep);
    if (runtime == nullptr) {  // its sweep has ended: the credit goes back
      lifecycle.drop_unit(lease.unit);
      continue;
    }
    const StoredSweep& sweep = runtime->info;
    protocol::Work work;
    work.unit = lease.unit;
    work.sweep = sweep.id;
    work.lease_deadline_ms = lease.deadline_ms;
    work.per_resolver_qps = sweep.settings.per_resolver_qps;
    work.timeout_ms = sweep.settings.timeout_ms;
    work.retries = sweep.settings.retries;
    work.express = lease.express;
    std::set<Question> asked;
    for (std::uint32_t i = 0; i < unit->size(); ++i) {
      if (lifecycle.ledger().task_done(lease.unit, i)) continue;
      // The opt-out list as it is now: a unit planned before an address opted out (and
      // restored since) must not ask it either. The task is answered here, as refused.
      if (const auto& endpoint = unit->resolver(i); endpoint && opt_out.covers(*endpoint)) {
        accept_result(lifecycle.ledger(), name, lease.unit,
                      not_asked(Task{*endpoint, unit->qname(i), unit->qtype(i), i}, NotAskedReason::opt_out_coordinator,
                                now),
                      now, out.refused);
        continue;
      }
      work.tasks.push_back(unit->task(i));
      asked.insert(Question{unit->qname(i), unit->qtype(i)});
    }
    work.digest_key = sweep.settings.digest_key;
    for (const auto& q : asked)
      if (auto d = runtime->digests.find(q); d != runtime->digests.end())
        work.expected.push_back(protocol::ExpectedAnswers{q.qname, q.qtype, d->second});
    out.work.push_back(std::move(work));
  }
  return out;
}

}  // namespace mxsentry
