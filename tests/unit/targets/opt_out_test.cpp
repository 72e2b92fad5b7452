// The opt-out lists in force: every file given, any prefix in any of them.
#include <catch2/catch.hpp>

#include "targets/opt_out.h"
#include "tests/unit/temp_file.h"
#include "tests/unit/test_support.h"

using namespace mxsentry;
using mxsentry::test::ep;

TEST_CASE("opt-out: an address in any list is covered", "[targets]") {
  test::TempFile first("# operator A\n192.0.2.0/28\n");
  test::TempFile second("2001:db8::53\n");
  OptOut opt_out = OptOut::load({first.path(), second.path()});
  CHECK(opt_out.covers(ep("192.0.2.15")));
  CHECK_FALSE(opt_out.covers(ep("192.0.2.16")));
  CHECK(opt_out.covers(ep("[2001:db8::53]:5353")));
  CHECK_FALSE(opt_out.covers(ep("2001:db8::54")));
}

TEST_CASE("opt-out: a broken list is an error naming its line", "[targets]") {
  test::TempFile broken("192.0.2.0/24\nnot a prefix\n");
  CHECK_THROWS_WITH(OptOut::load({broken.path()}), Catch::Contains(broken.path() + ":2:"));
  CHECK_THROWS_AS(OptOut::load({"/nonexistent/opt-out.txt"}), ListError);
}
