#include "coordinator/sweep/sweep_resolver_asns.h"

namespace mxsentry {

namespace {

constexpr const char* schema = R"(
CREATE TABLE IF NOT EXISTS sweep_resolver_asns (
  sweep_id INTEGER NOT NULL, resolver TEXT NOT NULL, asn INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, resolver)) WITHOUT ROWID;
)";

}  // namespace

SweepResolverAsns::SweepResolverAsns(const std::string& path) : db_(path, schema) {}

void SweepResolverAsns::set(std::uint64_t sweep, const std::map<std::string, std::uint32_t>& asns) {
  Transaction transaction(db_);
  Statement insert(db_, "INSERT OR REPLACE INTO sweep_resolver_asns (sweep_id, resolver, asn) VALUES (?, ?, ?)");
  for (const auto& [resolver, asn] : asns)
    insert.bind(1, static_cast<std::int64_t>(sweep)).bind(2, resolver).bind(3, std::int64_t{asn}).run();
  transaction.commit();
}

ResolverAsns SweepResolverAsns::of(std::uint64_t sweep) {
  std::map<std::string, std::uint32_t> by_text;
  Statement select(db_, "SELECT resolver, asn FROM sweep_resolver_asns WHERE sweep_id = ?");
  select.bind(1, static_cast<std::int64_t>(sweep));
  while (select.step()) by_text.emplace(select.text(0), static_cast<std::uint32_t>(select.integer(1)));
  return resolver_asns_of(by_text);
}

}  // namespace mxsentry
