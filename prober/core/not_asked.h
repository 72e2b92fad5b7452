#pragma once
// The one way to record a task that was refused on purpose (opt-out, a private address this
// vantage does not ask, bad input): an observation with outcome not_asked, so the unit still
// completes and the verdict says why, instead of blaming the resolver for silence.

#include <cstdint>
#include <string>

#include "prober/core/observation.h"
#include "prober/core/task.h"

namespace mxsentry {

/// The observation of `task` (its resolver, question and index) refused for `reason` at
/// `time_ms` (Unix ms). `detail` is added to the reason's text ("loopback (127.0.0.0/8)").
Observation not_asked(const Task& task, NotAskedReason reason, std::int64_t time_ms, const std::string& detail = {});

/// The observation of a task the engine took but could not send (a name it cannot encode, a
/// socket error): a network error saying why, so that its unit still completes.
Observation send_failed(const Task& task, const std::string& why);

/// The text of a reason for people: "not asked: the resolver opted out".
std::string not_asked_text(NotAskedReason reason);

}  // namespace mxsentry
