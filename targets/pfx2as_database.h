#pragma once
// RouteViews prefix-to-AS data (CAIDA's pfx2as files): `prefix<TAB>length<TAB>asn` a line, IPv4
// and IPv6 alike and possibly in one file. The asn field is one AS (`3320`), several origins
// (`123_456`) or an AS set (`123,456`). Addresses are looked up by longest prefix match.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "targets/asn_database.h"
#include "targets/prefix_table.h"

namespace mxsentry {

class Pfx2asDatabase final : public AsnDatabase {
 public:
  std::optional<AsnInfo> lookup(const Endpoint& address) const override;
  /// The number of prefixes.
  std::size_t size() const { return routes_.size(); }

 private:
  friend Pfx2asDatabase parse_pfx2as(std::string_view text, const std::string& source);

  // 8 bytes a route: a million routes must fit comfortably in memory. Most routes have one
  // origin, kept in the route itself (one memory access less a lookup).
  struct Route {
    std::uint32_t asn = 0;  ///< the origin, or with several the index of the first in asns_
    std::uint8_t asn_count = 0;
    std::uint8_t length = 0;
  };
  std::vector<Route> routes_;
  std::vector<std::uint32_t> asns_;
  PrefixTable index_;  ///< values are positions in routes_
};

/// Parses pfx2as text (blank lines and `#` comments allowed); throws ListError naming source:line.
Pfx2asDatabase parse_pfx2as(std::string_view text, const std::string& source);

}  // namespace mxsentry
