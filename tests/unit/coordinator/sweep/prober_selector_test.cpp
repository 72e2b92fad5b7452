// Prober selectors: "k=v,..." parsed strictly, matched against the tags of a prober's HELLO.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "coordinator/sweep/prober_selector.h"

using namespace mxsentry;

namespace {

std::string parse_error(std::string_view text) {
  try {
    ProberSelector::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  FAIL("no error for '" << text << "'");
  return {};
}

}  // namespace

TEST_CASE("prober selector: parses items with blanks around them", "[sweep]") {
  auto s = ProberSelector::parse(" country=NL , asn = 1136,kind=");
  CHECK(s.required == std::map<std::string, std::string>{{"asn", "1136"}, {"country", "NL"}, {"kind", ""}});
  CHECK(s.to_string() == "asn=1136,country=NL,kind=");
  CHECK(ProberSelector::parse(s.to_string()).required == s.required);
  CHECK(ProberSelector::parse("note=a=b").required.at("note") == "a=b");  // split at the first '='
}

TEST_CASE("prober selector: empty text selects every prober", "[sweep]") {
  for (const char* text : {"", "  ", "\t"}) {
    auto s = ProberSelector::parse(text);
    CHECK(s.required.empty());
    CHECK(s.to_string().empty());
    CHECK(s.matches({}));
    CHECK(s.matches({{"country", "NL"}}));
  }
}

TEST_CASE("prober selector: every required tag must match", "[sweep]") {
  auto s = ProberSelector::parse("country=NL,asn=1136");
  CHECK(s.matches({{"country", "NL"}, {"asn", "1136"}}));
  CHECK(s.matches({{"country", "NL"}, {"asn", "1136"}, {"kind", "isp"}}));  // more tags are fine
  CHECK_FALSE(s.matches({{"country", "NL"}}));
  CHECK_FALSE(s.matches({{"country", "nl"}, {"asn", "1136"}}));  // values compare exactly
  CHECK_FALSE(s.matches({}));
}

TEST_CASE("prober selector: bad items are named", "[sweep]") {
  CHECK(parse_error("country=NL,asn") == "prober selector: 'asn': expected k=v");
  CHECK(parse_error("=NL") == "prober selector: '=NL': empty key");
  CHECK(parse_error("a=1, a=2") == "prober selector: 'a=2': duplicate key 'a'");
  CHECK(parse_error("a=1,a=1") == "prober selector: 'a=1': duplicate key 'a'");
  CHECK(parse_error("a=1,,b=2") == "prober selector: empty item (expected k=v)");
  CHECK(parse_error("a=1,") == "prober selector: empty item (expected k=v)");
}
