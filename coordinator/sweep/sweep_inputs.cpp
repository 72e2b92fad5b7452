#include "coordinator/sweep/sweep_inputs.h"

#include <set>

#include "coordinator/judging/resolver_asns.h"
#include "protocol/dns/names.h"
#include "targets/name_list.h"
#include "targets/resolver_catalog.h"

namespace mxsentry {

std::vector<Question> read_sweep_questions(const std::string& targets_path, const std::string& types) {
  std::vector<std::uint16_t> default_types = parse_type_list(types);
  std::vector<Question> questions;
  std::set<Question> seen;
  auto add = [&](const std::string& name, std::uint16_t type) {
    Question q{name, type};
    if (seen.insert(q).second) questions.push_back(std::move(q));
  };
  NameFileReader names(targets_path);
  while (auto entry = names.next()) {
    std::string name = canonical_name(entry->name);
    if (entry->qtype)
      add(name, *entry->qtype);
    else
      for (auto t : default_types) add(name, t);
  }
  return questions;
}

SweepResolvers read_sweep_resolver_list(const std::string& resolvers_path, bool allow_private) {
  SweepResolvers out;
  ResolverCatalog catalog = load_resolver_catalog(resolvers_path, ResolverListOptions{allow_private});
  for (const auto& r : catalog.resolvers) out.addresses.push_back(r.address.to_string());
  out.asns = tagged_asn_texts(catalog.resolvers);
  return out;
}

}  // namespace mxsentry
