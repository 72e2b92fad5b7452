#include "coordinator/probe/probe_plan.h"

#include "protocol/dns/dns_wire.h"

namespace mxsentry {

ProbePlan::ProbePlan(std::vector<Endpoint> resolvers, NameSource& names, std::vector<std::uint16_t> types,
                     ProbeMode mode)
    : resolvers_(std::move(resolvers)), names_(names), default_types_(std::move(types)), mode_(mode) {
  if (resolvers_.empty() || default_types_.empty()) done_ = true;
}

bool ProbePlan::next_name() {
  try {
    auto entry = names_.next();
    if (!entry) return false;
    // One spelling for every output: presentation format with the trailing dot.
    auto wire_name = wire::name_to_wire(entry->name, &error_);
    if (!wire_name) return false;
    qname_ = wire::wire_to_name(*wire_name);
    types_ = entry->qtype ? std::vector<std::uint16_t>{*entry->qtype} : default_types_;
    type_at_ = 0;
    resolver_at_ = 0;
    return true;
  } catch (const std::exception& e) {  // a bad line that appeared after validation
    error_ = e.what();
    return false;
  }
}

std::optional<Task> ProbePlan::next() {
  if (done_) return std::nullopt;
  if (!have_name_) {
    have_name_ = next_name();
    if (!have_name_) {
      done_ = true;
      return std::nullopt;
    }
  }
  Task task;
  task.qname = qname_;
  task.qtype = types_[type_at_];
  task.index = index_++;
  if (mode_ == ProbeMode::fanout) {
    task.resolver = resolvers_[resolver_at_++];
    if (resolver_at_ == resolvers_.size()) {
      resolver_at_ = 0;
      ++type_at_;
    }
  } else {
    task.resolver = resolvers_[turn_++ % resolvers_.size()];
    ++type_at_;
  }
  if (type_at_ == types_.size()) have_name_ = false;
  return task;
}

}  // namespace mxsentry
