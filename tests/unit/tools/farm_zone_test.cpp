// The farm's names over one zone or many: how they are spelled and read back.

#include <catch2/catch.hpp>

#include <array>
#include <sstream>
#include <string>

#include "tests/tools/farm_zone.hpp"

using namespace mxsentry::farm;

namespace {

ZoneModel zones(std::uint32_t k, std::uint32_t names = 100) {
  ZoneModel m;
  m.zones = k;
  m.names = names;
  return m;
}

}  // namespace

TEST_CASE("farm zone: one zone keeps the names in the base") {
  const ZoneModel m = zones(1);
  CHECK(m.name(12) == "h12.mailhost.test.");
  CHECK(zone_of(m, 12) == 0);
  CHECK(zone_name(m, 0) == "mailhost.test.");
  const auto apex = zone_place(m, "mailhost.test.");
  REQUIRE(apex);
  CHECK(apex->zone == 0);
  CHECK(apex->prefix.empty());
  CHECK(zone_place(m, "ns1.mailhost.test.")->prefix == "ns1.");
  CHECK_FALSE(zone_place(m, "amailhost.test."));
  CHECK_FALSE(zone_place(m, "test."));
  CHECK(name_index(m, "H12.MailHost.Test") == 12u);
  CHECK_FALSE(name_index(m, "h012.mailhost.test."));
  CHECK_FALSE(name_index(m, "h100.mailhost.test."));
  CHECK_FALSE(name_index(m, "x.h12.mailhost.test."));
  CHECK_FALSE(name_index(m, "h12.z0.mailhost.test."));
}

TEST_CASE("farm zone: K zones take the names in turn, each name in its own zone only") {
  const ZoneModel m = zones(50);
  CHECK(m.name(7) == "h7.z7.mailhost.test.");
  CHECK(m.name(57) == "h57.z7.mailhost.test.");
  CHECK(zone_name(m, 49) == "z49.mailhost.test.");
  CHECK(name_index(m, "h57.z7.mailhost.test.") == 57u);
  CHECK(name_index(m, "H57.Z7.MailHost.Test") == 57u);
  CHECK_FALSE(name_index(m, "h57.z8.mailhost.test."));  // another zone than its own
  CHECK_FALSE(name_index(m, "h57.mailhost.test."));     // the one-zone spelling
  CHECK_FALSE(name_index(m, "h57.z07.mailhost.test."));
  CHECK_FALSE(name_index(m, "h157.z7.mailhost.test."));  // past the names

  std::array<unsigned, 50> per_zone{};
  for (std::uint32_t i = 0; i < 100; ++i) {
    INFO(m.name(i));
    CHECK(name_index(m, m.name(i)) == i);
    ++per_zone[zone_of(m, i)];
  }
  for (unsigned n : per_zone) CHECK(n == 2);

  const auto server = zone_place(m, "ns2.z3.mailhost.test.");
  REQUIRE(server);
  CHECK(server->zone == 3);
  CHECK(server->prefix == "ns2.");
  CHECK(zone_place(m, "z3.mailhost.test.")->prefix.empty());
  CHECK(zone_place(m, "a.b.z3.mailhost.test.")->prefix == "a.b.");
  CHECK_FALSE(zone_place(m, "mailhost.test."));  // the base is above every zone
  CHECK_FALSE(zone_place(m, "z50.mailhost.test."));
  CHECK_FALSE(zone_place(m, "ns1.mailhost.test."));
  CHECK_FALSE(zone_place(m, "z.mailhost.test."));
  CHECK_FALSE(zone_place(m, "y3.mailhost.test."));
}

TEST_CASE("farm zone: a name's answers do not depend on how many zones there are") {
  const ZoneModel one = zones(1), many = zones(50);
  for (std::uint32_t i = 0; i < 100; ++i) {
    CHECK(true_answer(one, i, false).v4 == true_answer(many, i, false).v4);
    CHECK(true_answer(one, i, true).v4 == true_answer(many, i, true).v4);
    CHECK(is_geo_split(one, i) == is_geo_split(many, i));
  }
}

TEST_CASE("farm zone: the longest zone name fits its text") {
  const ZoneModel m = zones(max_zones, max_zones);
  CHECK(zone_text(m, max_zones - 1).view() == "z9999.mailhost.test.");
  CHECK(m.name(max_zones - 1) == "h9999.z9999.mailhost.test.");
}

TEST_CASE("farm zone: the names file lists every name in its zone, in order") {
  const ZoneModel m = zones(3, 5);
  std::ostringstream out;
  write_names(out, m);
  CHECK(out.str() ==
        "h0.z0.mailhost.test.\nh1.z1.mailhost.test.\nh2.z2.mailhost.test.\nh3.z0.mailhost.test.\n"
        "h4.z1.mailhost.test.\n");
}
