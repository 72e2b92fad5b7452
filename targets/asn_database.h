#pragma once
// IP → origin AS: which network announces an address (evidence `same-asn`, `asn-mismatch`).
// Two sources: RouteViews pfx2as text and MaxMind-format ASN databases (.mmdb).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/list_error.h"
#include "targets/prefix.h"

namespace mxsentry {

struct AsnInfo {
  std::vector<std::uint32_t> asns;  ///< origin AS(es), first = primary
  std::string org;                  ///< the AS's organisation, when the source names it
  Prefix prefix;                    ///< the routed prefix (or database network) holding the address
};

class AsnDatabase {
 public:
  virtual ~AsnDatabase() = default;
  /// The origin of the address, or nullopt when the database has none. Throws ListError only
  /// when the database turns out to be corrupt (a search tree that points nowhere).
  virtual std::optional<AsnInfo> lookup(const Endpoint& address) const = 0;
};

/// Opens a pfx2as text file or an ASN .mmdb, told apart by content; throws ListError for an
/// unreadable file, a broken pfx2as line (file:line: reason) or a corrupt database.
std::unique_ptr<AsnDatabase> load_asn_database(const std::string& path);

}  // namespace mxsentry
