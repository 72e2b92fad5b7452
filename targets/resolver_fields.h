#pragma once
// The values a resolver catalog may give for a resolver, checked the same way in every format.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "targets/resolver_catalog.h"

namespace mxsentry {

enum class ResolverField { kind, country, asn, as_org, name };

/// The field a plain-format tag key names ("kind", "country", "asn", "as_org", "name").
std::optional<ResolverField> resolver_tag(std::string_view key);

/// Sets a field from its text; an empty value leaves it unknown. Returns "" or why the value is
/// wrong, naming it by `label` (the tag key or the CSV column the user wrote).
std::string set_resolver_field(ResolverInfo& info, ResolverField field, std::string_view value,
                               std::string_view label);

/// Collects a catalog's resolvers: the first at each address is kept, the others counted.
class CatalogBuilder {
 public:
  void add(ResolverInfo info) {
    if (seen_.insert(info.address).second)
      catalog_.resolvers.push_back(std::move(info));
    else
      ++catalog_.duplicates;
  }
  ResolverCatalog take() { return std::move(catalog_); }

 private:
  ResolverCatalog catalog_;
  std::unordered_set<Endpoint, EndpointHash> seen_;
};

}  // namespace mxsentry
