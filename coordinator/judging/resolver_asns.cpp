#include "coordinator/judging/resolver_asns.h"

namespace mxsentry {

ResolverAsns tagged_asns(const std::vector<ResolverInfo>& resolvers) {
  ResolverAsns out;
  for (const auto& r : resolvers)
    if (r.asn != 0) out.emplace(r.address, r.asn);  // a repeated address keeps its first line
  return out;
}

std::map<std::string, std::uint32_t> tagged_asn_texts(const std::vector<ResolverInfo>& resolvers) {
  std::map<std::string, std::uint32_t> out;
  for (const auto& r : resolvers)
    if (r.asn != 0) out.emplace(r.address.to_string(), r.asn);
  return out;
}

ResolverAsns resolver_asns_of(const std::map<std::string, std::uint32_t>& by_text) {
  ResolverAsns out;
  for (const auto& [text, asn] : by_text)
    if (auto address = Endpoint::parse(text)) out.emplace(*address, asn);
  return out;
}

std::uint32_t resolver_asn(const ResolverAsns* tagged, const AsnDatabase* asn_db, const Endpoint& resolver) {
  if (tagged) {
    auto it = tagged->find(resolver);
    if (it != tagged->end()) return it->second;
  }
  if (!asn_db) return 0;
  auto info = asn_db->lookup(resolver);
  return info && !info->asns.empty() ? info->asns.front() : 0;
}

}  // namespace mxsentry
