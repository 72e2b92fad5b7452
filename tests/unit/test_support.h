#pragma once
// Small helpers the unit tests share: addresses from text, and the message of the ListError a
// parser throws.

#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "protocol/dns/endpoint.h"
#include "targets/list_error.h"

namespace mxsentry::test {

/// An address the test knows is valid.
inline Endpoint ep(const char* text) {
  auto e = Endpoint::parse(text);
  REQUIRE(e.has_value());
  return *e;
}

/// The text of the ListError `parse(text)` throws; fails the test when it throws none.
template <typename Parse>
std::string list_error_of(Parse parse, std::string_view text) {
  try {
    parse(text);
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError for:\n" << text);
  return {};
}

}  // namespace mxsentry::test
