// Fuzz target: CAIDA pfx2as text (prefix, length, origin AS or AS set a line). What parses is
// then looked up by longest prefix match.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets/list_error.h"
#include "targets/pfx2as_database.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    mxsentry::Pfx2asDatabase db = mxsentry::parse_pfx2as(text, "fuzz");
    for (const char* address : {"192.0.2.1", "10.0.0.1", "2001:db8::1", "::1"})
      (void)db.lookup(*mxsentry::Endpoint::parse(address));
  } catch (const mxsentry::ListError&) {
  }
  return 0;
}
