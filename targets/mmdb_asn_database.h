#pragma once
// MaxMind-format ASN databases (.mmdb) with the GeoLite2-ASN layout: each network's record holds
// `autonomous_system_number` and `autonomous_system_organization`. Read with libmaxminddb.

#include <memory>
#include <string>
#include <string_view>

#include "targets/asn_database.h"

namespace mxsentry {

/// The marker that starts an mmdb file's metadata section, near the end of the file.
inline constexpr std::string_view mmdb_metadata_marker{"\xAB\xCD\xEF" "MaxMind.com", 14};

/// Opens an ASN .mmdb; throws ListError when the file cannot be opened, is corrupt or is not an
/// ASN database (its database_type does not mention ASN). A lookup that meets a corrupt search
/// tree throws ListError too.
std::unique_ptr<AsnDatabase> open_mmdb_asn_database(const std::string& path);

}  // namespace mxsentry
