#pragma once
// The re-ask units of a sweep after its first judging (pure): every flagged answer asked again
// by the vantage that saw it, so that a cache counting a forged TTL down is told from an
// injector answering fresh each time.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "coordinator/sweep/sweep_plan.h"

namespace mxsentry {

/// Units of at most `unit_size` tasks, each bound to the vantage that saw the flagged answers;
/// only vantages `connected` says are still there (a gone one's answers are judged without a
/// second look). Empty when nothing is to be asked again.
std::vector<UnitPlan> plan_reask(const std::vector<Verdict>& verdicts,
                                 const std::function<bool(const std::string& vantage)>& connected,
                                 std::size_t unit_size);

}  // namespace mxsentry
