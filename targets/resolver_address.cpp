#include "targets/resolver_address.h"

#include "targets/address_class.h"
#include "targets/list_error.h"

namespace mxsentry {

Endpoint parse_resolver_address(std::string_view text, const std::string& source, std::size_t line_no,
                                const ResolverListOptions& options) {
  std::string error;
  auto endpoint = Endpoint::parse(text, &error);
  if (!endpoint) throw ListError(source, line_no, error);
  if (!options.allow_private) {
    if (auto block = special_purpose_block(*endpoint))
      throw ListError(source, line_no,
                      endpoint->address_string() + " is " + *block +
                          "; such addresses are probed only with --allow-private");
  }
  return *endpoint;
}

}  // namespace mxsentry
