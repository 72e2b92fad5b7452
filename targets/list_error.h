#pragma once
// An input file the user gave is wrong at a known place: reported as "file:line: reason".

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "protocol/dns/shown_text.h"

namespace mxsentry {

class ListError : public std::runtime_error {
 public:
  ListError(const std::string& file, std::size_t line, const std::string& reason)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + reason) {}
  explicit ListError(const std::string& message) : std::runtime_error(message) {}
};

/// Strips a `#` comment and surrounding blanks from a list line.
std::string_view strip_comment(std::string_view line);

}  // namespace mxsentry
