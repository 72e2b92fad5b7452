// Staging: rows in any order come back folded, in key order, through SQLite's sort.
#include <catch2/catch.hpp>

#include <vector>

#include "results/cof_staging.h"

using namespace mxsentry;

namespace {

CofRecord row(const std::string& sensor, const std::string& rdata, std::int64_t ms) {
  CofRecord r;
  r.rrname = "mx.example.";
  r.rrtype = 1;
  r.rdata = {rdata};
  r.time_first_ms = r.time_last_ms = ms;
  r.count = 1;
  r.sensor_id = sensor;
  r.origin = "mxsentry:sweep/" + std::to_string(ms);
  return r;
}

}  // namespace

TEST_CASE("cof staging: rows added in any order are folded by key", "[results][cof]") {
  CofStaging staging;
  staging.add(row("s2", "192.0.2.1", 50));
  staging.add(row("s1", "192.0.2.1", 30));
  staging.add(row("s2", "192.0.2.1", 10));
  staging.add(row("s1", "192.0.2.2", 20));
  staging.add(row("s1", "192.0.2.1", 40));
  CHECK(staging.rows() == 5);
  std::vector<CofRecord> out;
  CHECK(staging.for_each_record([&](const CofRecord& r) { out.push_back(r); }) == 3);
  REQUIRE(out.size() == 3);
  CHECK(out[0].sensor_id == "s1");
  CHECK(out[0].rdata == std::vector<std::string>{"192.0.2.1"});
  CHECK(out[0].time_first_ms == 30);
  CHECK(out[0].time_last_ms == 40);
  CHECK(out[0].count == 2u);
  CHECK(out[0].origin == "mxsentry:sweep/30");
  CHECK(out[1].rdata == std::vector<std::string>{"192.0.2.2"});
  CHECK(out[2].sensor_id == "s2");
  CHECK(out[2].time_first_ms == 10);
  CHECK(out[2].time_last_ms == 50);
  CHECK(out[2].origin == "mxsentry:sweep/10");
}

TEST_CASE("cof staging: many rows cross transaction batches and still fold", "[results][cof]") {
  CofStaging staging;
  for (int i = 0; i < 50000; ++i) staging.add(row("s" + std::to_string(i % 7), "192.0.2.1", i));
  std::uint64_t total = 0;
  CHECK(staging.for_each_record([&](const CofRecord& r) { total += *r.count; }) == 7);
  CHECK(total == 50000);
}

TEST_CASE("cof staging: sightings of a forged address gathered per address", "[results][cof]") {
  CofStaging staging;
  staging.add_ioc("203.0.113.66", "mx.example.", "192.0.2.53", 2000, 2000, "suspicious");
  staging.add_ioc("198.51.100.9", "ns.example.", "192.0.2.54", 5000, 5000, "poisoned");
  staging.add_ioc("203.0.113.66", "ns.example.", "192.0.2.54", 1000, 1000, "poisoned");
  staging.add_ioc("203.0.113.66", "mx.example.", "192.0.2.53", 3000, 3000, "suspicious");
  std::vector<IocEntry> out;
  CHECK(staging.for_each_ioc([&](const IocEntry& e) { out.push_back(e); }) == 2);
  REQUIRE(out.size() == 2);
  CHECK(out[0].address == "198.51.100.9");
  CHECK(out[1].address == "203.0.113.66");
  CHECK(out[1].first_ms == 1000);
  CHECK(out[1].last_ms == 3000);
  CHECK(out[1].names == std::vector<std::string>{"mx.example.", "ns.example."});
  CHECK(out[1].resolvers == std::vector<std::string>{"192.0.2.53", "192.0.2.54"});
  CHECK(out[1].verdict == "poisoned");
}

TEST_CASE("cof staging: rows by name come unfolded, by type then name without case or final dot", "[results][cof]") {
  CofStaging staging;
  auto named = [](CofRecord r, std::string name, std::uint16_t type) {
    r.rrname = std::move(name);
    r.rrtype = type;
    return r;
  };
  staging.add(named(row("s2", "192.0.2.1", 50), "MX.example.", 1));
  staging.add(named(row("s1", "2001:db8::1", 10), "mx.example", 28));
  staging.add(named(row("s1", "192.0.2.9", 60), "mx.example-b", 1));
  staging.add(named(row("s1", "192.0.2.1", 30), "mx.example", 1));
  staging.add(named(row("s1", "192.0.2.1", 20), "mx.example.", 1));  // the same row as below: not folded
  std::vector<std::string> seen;
  CHECK(staging.for_each_row_by_name([&](const CofRecord& r) {
    seen.push_back(std::to_string(r.rrtype) + " " + r.rrname + " " + r.sensor_id + " " + std::to_string(r.time_first_ms));
  }) == 5);
  CHECK(seen == std::vector<std::string>{"1 mx.example. s1 20", "1 mx.example s1 30", "1 MX.example. s2 50",
                                         "1 mx.example-b s1 60", "28 mx.example s1 10"});
}
