#pragma once
// The re-ask units of a sweep after its first judging (pure): every flagged answer asked again,
// so that a cache counting a forged TTL down is told from an injector answering fresh each
// time; by the vantage that saw it, or, that vantage gone, by another one when the resolver is
// open (docs/detection.md, "Verification before the final verdict").

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "coordinator/analysis/verdict.h"
#include "coordinator/sweep/sweep_plan.h"

namespace mxsentry {

/// Whether another vantage may ask `resolver` in place of the gone `vantage`.
using AskElsewhere = std::function<bool(const std::string& vantage, const Endpoint& resolver)>;

/// Units of at most `unit_size` tasks. The flagged answers of a vantage `connected` says is
/// still there go to units bound to it, in vantage order. Those of a gone vantage go, after
/// them, to units any prober of the sweep may run (no owner) when `elsewhere` allows it (empty:
/// never), once per resolver and question: a question some unit asks a resolver already is not
/// asked twice (the judging reads that second answer for each vantage that had it flagged).
/// The rest are judged without a second look. Empty when nothing is to be asked again.
std::vector<UnitPlan> plan_reask(const std::vector<Verdict>& verdicts,
                                 const std::function<bool(const std::string& vantage)>& connected,
                                 const AskElsewhere& elsewhere, std::size_t unit_size);

}  // namespace mxsentry
