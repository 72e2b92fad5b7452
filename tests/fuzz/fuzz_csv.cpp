// Fuzz target: the RFC 4180 reader under the resolver catalogs. Every record is read to the
// end or to the first ListError; the line numbers it reports only ever grow.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets/csv_reader.h"
#include "targets/list_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mxsentry::CsvReader reader(text, "fuzz");
  std::size_t last_line = 0;
  try {
    while (auto record = reader.next()) {
      if (reader.line_no() < last_line || record->empty()) __builtin_trap();
      last_line = reader.line_no();
    }
  } catch (const mxsentry::ListError&) {
  }
  return 0;
}
