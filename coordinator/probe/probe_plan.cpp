#include "coordinator/probe/probe_plan.h"

#include <functional>

#include "protocol/dns/dns_wire.h"

namespace mxsentry {

ProbePlan::ProbePlan(std::vector<Endpoint> resolvers, NameSource& names, std::vector<std::uint16_t> types,
                     ProbeMode mode)
    : resolvers_(std::move(resolvers)), names_(names), default_types_(std::move(types)), mode_(mode) {
  if (resolvers_.empty() || default_types_.empty()) done_ = true;
}

bool ProbePlan::first_time(const std::string& qname, std::uint16_t qtype) {
  // Names compare without regard to ASCII case; a 64-bit hash per (name, type) keeps a list
  // of millions of names small in memory.
  key_scratch_.assign(qname);
  for (char& c : key_scratch_)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  key_scratch_ += static_cast<char>(qtype >> 8);
  key_scratch_ += static_cast<char>(qtype & 0xff);
  return asked_.insert(std::hash<std::string>{}(key_scratch_)).second;
}

bool ProbePlan::next_name() {
  try {
    while (true) {
      auto entry = names_.next();
      if (!entry) return false;
      // One spelling for every output: presentation format with the trailing dot.
      auto wire_name = wire::name_to_wire(entry->name, &error_);
      if (!wire_name) return false;
      qname_ = wire::wire_to_name(*wire_name);
      types_.clear();
      // A (name, type) given twice, on two lines or twice in --types, is asked once.
      for (std::uint16_t type : entry->qtype ? std::vector<std::uint16_t>{*entry->qtype} : default_types_) {
        if (first_time(qname_, type))
          types_.push_back(type);
        else
          ++duplicates_;
      }
      if (types_.empty()) continue;
      type_at_ = 0;
      resolver_at_ = 0;
      return true;
    }
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
