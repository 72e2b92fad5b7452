// mxsentry-resolver-farm's command line: loopback only, never the lab's addresses.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/tools/farm_options.hpp"

using namespace mxsentry::farm;

namespace {

ParseResult parse(std::vector<std::string> args, FarmOptions& o) { return parse_farm_options(args, o); }

std::string error_of(std::vector<std::string> args) {
  FarmOptions o;
  const ParseResult r = parse(std::move(args), o);
  return r.kind == ParseResult::error ? r.message : "";
}

}  // namespace

TEST_CASE("farm options: the defaults and a full command line") {
  FarmOptions o;
  REQUIRE(parse({"--port", "5300"}, o).kind == ParseResult::run);
  CHECK(o.auth_port == 5300);
  CHECK(o.first_resolver == 0x7f3c0001);
  CHECK(o.mix[Behaviour::poisoned] == Approx(0.02));

  FarmOptions f;
  REQUIRE(parse({"--port", "0", "--auth-port", "5353", "--resolvers", "127.70.0.1", "50000", "--auth", "127.61.9.1",
                 "--seed", "42", "--mix", "poisoned=0.1", "--zone", "Mail.Example", "--names", "300",
                 "--forged-share", "0.2", "--max-seconds", "5"},
                f)
              .kind == ParseResult::run);
  CHECK(f.auth_port == 5353);
  CHECK(f.resolver_count == 50000);
  CHECK(f.zone.zone == "mail.example.");
  CHECK(f.zone.seed == 42);
  CHECK(f.zone.names == 300);
  CHECK(f.zone.forged_share == Approx(0.2));
  CHECK(f.mix[Behaviour::honest] == Approx(0.9));
  CHECK(root_hints_text(f).find("a.farm-root.             3600000      A     127.61.9.1") != std::string::npos);
}

TEST_CASE("farm options: refused") {
  CHECK_THAT(error_of({}), Catch::Contains("--port is required"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "10.0.0.1", "5"}), Catch::Contains("127.0.0.0/8"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "127.52.255.0", "1000"}), Catch::Contains("127.53.0.0/16"));
  CHECK_THAT(error_of({"--port", "5300", "--auth", "127.53.0.1"}), Catch::Contains("127.53.0.0/16"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "127.255.255.0", "1000"}), Catch::Contains("run past"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "127.60.0.1", "65001"}), Catch::Contains("1 to 65000"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "127.60.0.1", "100", "--auth", "127.60.0.50"}),
             Catch::Contains("overlap"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "127.60.0.1"}), Catch::Contains("two values"));
  CHECK_THAT(error_of({"--port", "5300", "--mix", "poisoned=nan"}), Catch::Contains("finite"));
  CHECK_THAT(error_of({"--port", "5300", "--forged-share", "-1"}), Catch::Contains("between 0 and 1"));
  CHECK_THAT(error_of({"--port", "5300", "--max-seconds", "0"}), Catch::Contains("positive"));
  CHECK_THAT(error_of({"--port", "5300", "--zone", "."}), Catch::Contains("below the root"));
  CHECK_THAT(error_of({"--port", "70000"}), Catch::Contains("port number"));
  CHECK_THAT(error_of({"--port", "5300", "--bogus"}), Catch::Contains("unknown argument"));
}

TEST_CASE("farm options: --zones spreads the names, its servers stay in --auth's /16") {
  FarmOptions o;
  REQUIRE(parse({"--port", "5300", "--zones", "50", "--names", "100"}, o).kind == ParseResult::run);
  CHECK(o.zone.zones == 50);
  FarmOptions d;
  REQUIRE(parse({"--port", "5300"}, d).kind == ParseResult::run);
  CHECK(d.zone.zones == 1);
  CHECK_THAT(error_of({"--port", "5300", "--zones", "0"}), Catch::Contains("--zones needs"));
  CHECK_THAT(error_of({"--port", "5300", "--zones", "10001", "--names", "20000"}), Catch::Contains("--zones needs"));
  CHECK_THAT(error_of({"--port", "5300", "--zones", "101", "--names", "100"}), Catch::Contains("cannot exceed"));
  CHECK_THAT(error_of({"--port", "5300", "--auth", "127.61.255.1", "--zones", "200"}), Catch::Contains("/16"));
  CHECK_THAT(error_of({"--port", "5300", "--resolvers", "127.61.0.90", "10", "--zones", "50"}),
             Catch::Contains("overlap"));
  CHECK(error_of({"--port", "5300", "--resolvers", "127.61.0.102", "10", "--zones", "50"}).empty());
}
