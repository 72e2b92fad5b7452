#pragma once
// The tagged ASNs of a sweep's resolvers, kept in the sweep database beside its other tables:
// the judging (also after a restart) knows each resolver's own AS as a local check does.

#include <cstdint>
#include <map>
#include <string>

#include "coordinator/judging/resolver_asns.h"
#include "results/sqlite_db.h"

namespace mxsentry {

class SweepResolverAsns {
 public:
  /// Opens the sweep database at `path`, creating its table when missing; throws std::runtime_error.
  explicit SweepResolverAsns(const std::string& path);

  /// Keeps a sweep's tagged ASNs (address text -> ASN), in one transaction.
  void set(std::uint64_t sweep, const std::map<std::string, std::uint32_t>& asns);
  /// A sweep's tagged ASNs; empty when none were kept.
  ResolverAsns of(std::uint64_t sweep);

 private:
  SqliteDb db_;
};

}  // namespace mxsentry
