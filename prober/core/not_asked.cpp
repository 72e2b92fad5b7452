#include "prober/core/not_asked.h"

namespace mxsentry {

std::string not_asked_text(NotAskedReason reason) {
  switch (reason) {
    case NotAskedReason::opt_out: return "not asked: the resolver opted out";
    case NotAskedReason::opt_out_coordinator: return "not asked: the resolver opted out (coordinator)";
    case NotAskedReason::private_refused: return "not asked: private address refused by this vantage";
    case NotAskedReason::bad_address: return "not asked: not a resolver address";
  }
  return "not asked";
}

Observation not_asked(const Task& task, NotAskedReason reason, std::int64_t time_ms, const std::string& detail) {
  Observation o;
  o.resolver = task.resolver;
  o.qname = task.qname;
  o.qtype = task.qtype;
  o.task_index = task.index;
  o.outcome = Outcome::not_asked;
  o.not_asked = reason;
  o.error = not_asked_text(reason);
  if (!detail.empty()) o.error += ": " + detail;
  o.time_ms = time_ms;
  return o;
}

Observation send_failed(const Task& task, const std::string& why) {
  Observation o;
  o.resolver = task.resolver;
  o.qname = task.qname;
  o.qtype = task.qtype;
  o.task_index = task.index;
  o.outcome = Outcome::network_error;
  o.error = why;
  return o;
}

}  // namespace mxsentry
