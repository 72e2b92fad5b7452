// Fuzz target: one line of COF (the common output format passive DNS sensors write), as
// `mxsentry import` reads it. A line is a record or a reason; a record is written back out.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "results/cof_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  auto parsed = mxsentry::parse_cof_line(line);
  if (auto* record = std::get_if<mxsentry::CofRecord>(&parsed)) {
    std::string out;
    mxsentry::append_cof_json(out, *record);
    mxsentry::append_cof_json(out, *record, true);
    if (out.empty()) __builtin_trap();
  } else if (std::get<mxsentry::CofLineError>(parsed).reason.empty()) {
    __builtin_trap();  // a refused line always says why
  }
  return 0;
}
