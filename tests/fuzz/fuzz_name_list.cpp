// Fuzz target: name lists (a name a line, optionally a record type, `#` comments, a BOM
// before the first line) and the comma separated type lists of --types. The first byte picks
// which.

#include <cstddef>
#include <cstdint>
#include <string>

#include "targets/list_error.h"
#include "targets/name_list.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    if (data[0] & 1) {
      (void)mxsentry::parse_type_list(text);
    } else {
      mxsentry::NameFileReader reader(std::move(text), "fuzz");
      std::size_t last_line = 0;
      while (auto entry = reader.next()) {
        if (entry->name.empty() || entry->line <= last_line) __builtin_trap();
        last_line = entry->line;
      }
    }
  } catch (const mxsentry::ListError&) {
  }
  return 0;
}
