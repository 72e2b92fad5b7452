// Numbers on the command line: an id is never read modulo 2^64, and a refusal is short.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/unit/coordinator/cli/cli_parse.h"

using mxsentry::test::parse_mxsentry;

TEST_CASE("cli numbers: a sweep id is a whole number from 1 (-1 once became 18446744073709551615)", "[cli]") {
  for (std::string bad : {"-1", "0", "1.5", "1e3", "abc", "", "18446744073709551615", "9223372036854775808"}) {
    INFO(bad);
    CHECK_FALSE(parse_mxsentry({"results", "--db", "x.db", "--sweep", bad}).accepted());
    CHECK_FALSE(parse_mxsentry({"sweep", "show", bad}).accepted());
  }
  CHECK(parse_mxsentry({"results", "--db", "x.db", "--sweep", "1"}).accepted());
  CHECK(parse_mxsentry({"results", "--db", "x.db", "--sweep", "9223372036854775807"}).accepted());
  CHECK(parse_mxsentry({"sweep", "show", "42"}).accepted());
  CHECK_THAT(parse_mxsentry({"results", "--db", "x.db", "--sweep", "-1"}).err,
             Catch::Contains("a sweep id is a whole number from 1, not -1"));
}

TEST_CASE("cli numbers: a whole number option says what it wants, in a short line", "[cli]") {
  const std::vector<std::string> probe = {"probe", "--resolvers", "r.txt", "--names", "n.txt"};
  auto with = [&](const std::string& option, const std::string& value) {
    auto args = probe;
    args.push_back(option);
    args.push_back(value);
    return parse_mxsentry(args);
  };
  // "1e3" was "not in range" of 1 to 1000000.
  auto e3 = with("--concurrency", "1e3");
  CHECK_FALSE(e3.accepted());
  CHECK_THAT(e3.err, Catch::Contains("expected a whole number from 1 to 1000000, not '1e3'"));
  CHECK(with("--concurrency", "1000").accepted());
  for (std::string bad : {"1e308", "1e400", "-1", "0", "1000001", "99999999999999999999999", "7.5", "", "nan"}) {
    INFO(bad);
    auto r = with("--concurrency", bad);
    CHECK_FALSE(r.accepted());
    CHECK(r.err.size() < 300);  // once a 309-digit double
  }
  auto huge = with("--timeout-ms", std::string(1'000'000, '9'));
  CHECK_FALSE(huge.accepted());
  CHECK(huge.err.size() < 300);  // the 1 MB argument is not echoed
  CHECK_THAT(huge.err, Catch::Contains("expected a whole number from 100 to 30000"));
  auto rate = with("--per-resolver-qps", "\x1b[31m" + std::string(1000, '1'));
  CHECK_FALSE(rate.accepted());
  CHECK(rate.err.find('\x1b') == std::string::npos);
  CHECK(rate.err.size() < 400);
}
