#pragma once
// The resolvers' own ASes as their catalogs tag them (`asn=19281`, a CSV's as_number): one
// table, built the same way for `mxsentry check` and for the sweeps.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/dns/endpoint.h"
#include "targets/asn_database.h"
#include "targets/resolver_catalog.h"

namespace mxsentry {

/// Resolver address -> its tagged ASN; resolvers without a tag are absent.
using ResolverAsns = std::unordered_map<Endpoint, std::uint32_t, EndpointHash>;

/// The tagged ASN of every resolver of a catalog that has one.
ResolverAsns tagged_asns(const std::vector<ResolverInfo>& resolvers);

/// The same by address text (Endpoint::to_string()), as sweeps carry and keep them.
std::map<std::string, std::uint32_t> tagged_asn_texts(const std::vector<ResolverInfo>& resolvers);

/// Back from address text; an address that does not parse is left out.
ResolverAsns resolver_asns_of(const std::map<std::string, std::uint32_t>& by_text);

/// A resolver's own AS: its tag when it has one, else the AS database's first origin (when a
/// database is given), else 0.
std::uint32_t resolver_asn(const ResolverAsns* tagged, const AsnDatabase* asn_db, const Endpoint& resolver);

}  // namespace mxsentry
