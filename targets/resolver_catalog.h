#pragma once
// Resolver catalogs: resolver lists with what is known about each resolver (kind, country, ASN).
// Two formats, told apart by the first line that is not blank or a comment:
//  - plain: the resolver-list syntax, each address optionally followed by `key=value` tags
//    (kind, country, asn, as_org, name; a value with blanks in double quotes), `#` comments;
//  - CSV with a header row naming an `ip_address` column (the public-dns.info layout:
//    ip_address, name, as_number, as_org, country_code, and optionally kind; other columns are
//    ignored, any order, RFC 4180 quoting).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/list_error.h"
#include "targets/resolver_address.h"

namespace mxsentry {

struct ResolverInfo {
  Endpoint address;     ///< port 53 unless given
  std::string kind;     ///< "open", "isp" or "" (unknown)
  std::string country;  ///< ISO 3166 alpha-2 upper case, or ""
  std::uint32_t asn = 0;  ///< 0 = unknown
  std::string as_org, name;
};

struct ResolverCatalog {
  std::vector<ResolverInfo> resolvers;  ///< in file order; a repeated address keeps its first line
  std::size_t duplicates = 0;
};

/// Parses a catalog in either format; `source` names it in errors. Throws ListError at the first
/// bad line (source:line: reason).
ResolverCatalog parse_resolver_catalog(std::string_view text, const std::string& source,
                                       const ResolverListOptions& options);
/// Reads and parses a catalog file; throws ListError (also when the file cannot be read).
ResolverCatalog load_resolver_catalog(const std::string& path, const ResolverListOptions& options);

/// The plain format alone (address and tags a line).
ResolverCatalog parse_tagged_resolver_list(std::string_view text, const std::string& source,
                                           const ResolverListOptions& options);
/// The CSV format alone (a header row with ip_address, then one resolver a record).
ResolverCatalog parse_resolver_csv(std::string_view text, const std::string& source,
                                   const ResolverListOptions& options);

}  // namespace mxsentry
