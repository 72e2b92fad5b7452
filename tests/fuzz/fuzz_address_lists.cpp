// Fuzz target: the address and name lists a user gives (resolver lists and catalogs in both
// formats, prefix lists for opt-out and IOC, domain lists). The first byte picks the parser
// (and whether special-purpose addresses are allowed); the rest is the file's text. A bad
// list must end in a ListError, never anything else.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets/domain_list.h"
#include "targets/list_error.h"
#include "targets/prefix_list.h"
#include "targets/resolver_catalog.h"
#include "targets/resolver_list.h"

namespace {

using namespace mxsentry;

// Parsed lists are queried too: a list that parses must answer lookups.
void look_up(const PrefixList& list) {
  for (const char* text : {"192.0.2.1", "10.1.2.3", "2001:db8::1", "::"})
    (void)list.match(*Endpoint::parse(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  ResolverListOptions options;
  options.allow_private = (selector & 0x80) != 0;
  try {
    switch ((selector & 0x7f) % 6) {
      case 0: (void)parse_resolver_list(text, "fuzz", options); break;
      case 1: (void)parse_resolver_catalog(text, "fuzz", options); break;
      case 2: (void)parse_tagged_resolver_list(text, "fuzz", options); break;
      case 3: (void)parse_resolver_csv(text, "fuzz", options); break;
      case 4: look_up(parse_prefix_list(text, "fuzz")); break;
      default: (void)parse_domain_list(text, "fuzz"); break;
    }
  } catch (const ListError&) {
  }
  return 0;
}
