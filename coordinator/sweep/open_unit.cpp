#include "coordinator/sweep/open_unit.h"

#include <algorithm>
#include <map>

namespace mxsentry {

OpenUnit::OpenUnit(std::uint64_t sweep_id, std::vector<protocol::WorkTask> listed, std::optional<std::string> bound_to)
    : sweep(sweep_id), owner(std::move(bound_to)), listed_(std::move(listed)) {
  listed_endpoints_.reserve(listed_.size());
  for (const auto& t : listed_) listed_endpoints_.push_back(Endpoint::parse(t.resolver));
}

OpenUnit::OpenUnit(std::uint64_t sweep_id, std::shared_ptr<const TaskSpace> space, TaskRange range,
                   std::optional<std::string> bound_to)
    : sweep(sweep_id), owner(std::move(bound_to)), space_(std::move(space)), range_(range) {}

std::uint32_t OpenUnit::size() const {
  return space_ ? range_.task_count : static_cast<std::uint32_t>(listed_.size());
}

protocol::WorkTask OpenUnit::task(std::uint32_t i) const {
  return space_ ? work_task(*space_, range_, i) : listed_[i];
}

const std::optional<Endpoint>& OpenUnit::resolver(std::uint32_t i) const {
  return space_ ? space_->endpoints[range_.resolver_index(i)] : listed_endpoints_[i];
}

const std::string& OpenUnit::qname(std::uint32_t i) const {
  return space_ ? space_->questions[range_.question_index(i)].qname : listed_[i].qname;
}

std::uint16_t OpenUnit::qtype(std::uint32_t i) const {
  return space_ ? space_->questions[range_.question_index(i)].qtype : listed_[i].qtype;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> OpenUnit::question_span() const {
  if (!space_ || range_.empty()) return std::nullopt;
  return std::make_pair(range_.question_index(0), range_.question_index(range_.task_count - 1));
}

std::uint32_t OpenUnit::most_per_resolver() const {
  if (space_) return range_.most_per_resolver();
  std::map<std::string, std::uint32_t> per_resolver;
  std::uint32_t most = 0;
  for (const auto& t : listed_) most = std::max(most, ++per_resolver[t.resolver]);
  return most;
}

// A live prober must not lose a unit only because the sweep is gentle.
std::int64_t unit_lease_ms(const OpenUnit& unit, const SweepSettings& settings, std::int64_t configured) {
  double seconds = static_cast<double>(unit.most_per_resolver()) / std::max(settings.per_resolver_qps, 0.001) +
                   static_cast<double>(settings.timeout_ms) * (settings.retries + 1) / 1000.0;
  return std::max(configured, static_cast<std::int64_t>(seconds * 2000.0));
}

}  // namespace mxsentry
