// Unknown options are errors that say so: before CLI11's own checks of what is required or
// excluded, which would blame a stray option (or its value, taken as a positional) on something else.
#include <catch2/catch.hpp>

#include "tests/unit/coordinator/cli/cli_parse.h"

using mxsentry::test::parse_mxsentry;

TEST_CASE("unknown options: sweep start names the unknown option, not an exclusion", "[cli]") {
  auto r = parse_mxsentry({"sweep", "start", "--targets", "t.txt", "--resolvers", "r.txt", "--bogus", "x"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown option --bogus"));
  CHECK_THAT(r.err, !Catch::Contains("excludes"));
}

TEST_CASE("unknown options: reported before a missing required option", "[cli]") {
  auto r = parse_mxsentry({"probe", "--resolver", "r.txt", "--names", "n.txt"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown option --resolver"));
  CHECK_THAT(r.err, !Catch::Contains("required"));
}

TEST_CASE("unknown options: a stray argument to a command without positionals", "[cli]") {
  auto r = parse_mxsentry({"results", "--db", "x.sqlite", "--sweep", "1", "extra"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unexpected argument extra"));
}

TEST_CASE("unknown options: ordinary usage errors keep their own message", "[cli]") {
  auto missing = parse_mxsentry({"probe", "--names", "n.txt"});
  CHECK(missing.status == 2);
  CHECK_THAT(missing.err, Catch::Contains("--resolvers"));
  auto excluded = parse_mxsentry({"sweep", "start", "nightly", "--targets", "t.txt", "--resolvers", "r.txt"});
  CHECK(excluded.status == 2);
  CHECK_THAT(excluded.err, Catch::Contains("excludes"));
}

TEST_CASE("unknown options: results takes --json, and help exits 0", "[cli]") {
  CHECK(parse_mxsentry({"results", "--db", "x.sqlite", "--sweep", "1", "--json"}).accepted());
  CHECK(parse_mxsentry({"results", "--db", "x.sqlite", "--sweep", "1"}).accepted());
  CHECK(parse_mxsentry({"sweep", "start", "--help"}).status == 0);
}
