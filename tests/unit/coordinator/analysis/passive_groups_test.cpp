// Gathering sorted COF records into one name at a time for the passive analysis.
#include <catch2/catch.hpp>

#include "coordinator/analysis/passive_groups.h"

using namespace mxsentry;

namespace {

CofRecord record(std::string name, std::uint16_t type, std::string sensor, std::string rdata) {
  CofRecord r;
  r.rrname = std::move(name);
  r.rrtype = type;
  r.sensor_id = std::move(sensor);
  r.rdata = {std::move(rdata)};
  r.time_first_ms = 1000;
  r.time_last_ms = 2000;
  return r;
}

}  // namespace

TEST_CASE("passive groups: one name and type at a time, case and final dot ignored, only A and AAAA",
          "[analysis][passive]") {
  std::vector<PassiveName> names;
  PassiveGrouper grouper([&](const PassiveName& n) { names.push_back(n); });
  grouper.add(record("mx.example.", 1, "s1", "192.0.2.1"));
  grouper.add(record("MX.example", 1, "s2", "192.0.2.2"));
  grouper.add(record("mx.example", 15, "s2", "10 a.example."));  // MX: not analysed
  grouper.add(record("mx2.example", 1, "s1", "192.0.2.3"));
  CHECK(names.size() == 1);  // a name is complete once another begins
  grouper.add(record("mx2.example", 28, "s1", "2001:db8::3"));
  CHECK(names.size() == 2);
  grouper.finish();
  REQUIRE(names.size() == 3);
  CHECK(names[0].rrname == "mx.example.");
  CHECK(names[0].records.size() == 2);
  CHECK(names[0].records[1].sensor == "s2");
  CHECK(names[0].records[1].first_ms == 1000);
  CHECK(names[0].records[1].last_ms == 2000);
  CHECK(names[1].rrtype == 1);
  CHECK(names[2].rrtype == 28);
  CHECK(names[2].records[0].rdata == std::vector<std::string>{"2001:db8::3"});
  grouper.finish();  // nothing more
  CHECK(names.size() == 3);
}
