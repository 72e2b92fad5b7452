#include "coordinator/analysis/passive_groups.h"

#include "results/cof_aggregate.h"

namespace mxsentry {

bool passive_type(std::uint16_t rrtype) { return rrtype == 1 || rrtype == 28; }

void PassiveGrouper::add(const CofRecord& r) {
  if (!passive_type(r.rrtype)) return;
  std::string key = cof_name_key(r.rrname);
  if (!key.empty() && key.back() == '.') key.pop_back();  // sensors differ on the final dot
  if (current_ && (key != current_key_ || r.rrtype != current_->rrtype)) finish();
  if (!current_) {
    current_ = PassiveName{r.rrname, r.rrtype, {}};
    current_key_ = key;
  }
  current_->records.push_back(PassiveRecord{r.sensor_id, r.rdata, r.time_first_ms, r.time_last_ms});
}

void PassiveGrouper::finish() {
  if (!current_) return;
  emit_(*current_);
  current_.reset();
}

}  // namespace mxsentry
