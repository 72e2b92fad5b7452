// The one way every command and the coordinator load the trust anchor.
#include <catch2/catch.hpp>

#include "coordinator/truth/trust_anchor.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

TEST_CASE("trust anchor: a file's anchor is loaded, an empty path loads none", "[truth]") {
  test::TempFile file(". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
  dnssec::Validator anchored;
  load_trust_anchor(anchored, file.path());
  CHECK(anchored.has_trust_anchor("."));
  dnssec::Validator unanchored;
  load_trust_anchor(unanchored, "");
  CHECK_FALSE(unanchored.has_trust_anchor("."));
  CHECK_THROWS_AS(load_trust_anchor(unanchored, "/nonexistent/mxsentry/root.key"), std::runtime_error);
}
