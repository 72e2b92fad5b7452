#pragma once
// One question asked of a resolver or an authoritative server: a name and a type (class IN).

#include <compare>
#include <cstdint>
#include <string>

namespace mxsentry {

struct Question {
  std::string qname;  ///< canonical: lower case, trailing dot
  std::uint16_t qtype = 0;
  bool operator==(const Question&) const = default;
  auto operator<=>(const Question&) const = default;
};

}  // namespace mxsentry
