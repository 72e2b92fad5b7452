// The (socket, ID) -> slot table against a std::unordered_map under random churn.

#include <catch2/catch.hpp>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "prober/core/query_id_table.h"

using mxsentry::QueryIdTable;

TEST_CASE("QueryIdTable: finds what was inserted, forgets what was erased, under churn", "[engine][idtable]") {
  QueryIdTable table(32);
  std::unordered_map<std::uint32_t, std::uint32_t> model;
  std::vector<std::uint32_t> live;
  std::uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::uint32_t>(state >> 16);
  };
  for (int step = 0; step < 200000; ++step) {
    // Grow to ~40,000 live keys, then hover around it.
    bool add = live.size() < 40000 ? next() % 4 != 0 : next() % 2 == 0;
    if (add || live.empty()) {
      std::uint32_t key = ((next() % 32) << 16) | (next() & 0xffff);
      std::uint32_t slot = next() & 0x7fffffff;
      if (!model.contains(key)) live.push_back(key);
      model[key] = slot;
      table.insert(key, slot);
    } else {
      std::size_t i = next() % live.size();
      std::uint32_t key = live[i];
      live[i] = live.back();
      live.pop_back();
      model.erase(key);
      table.erase(key);
      CHECK_FALSE(table.contains(key));
    }
    if (step % 1000 == 0) {
      REQUIRE(table.size() == model.size());
      for (auto [key, slot] : model) REQUIRE(table.find(key) == slot);
    }
  }
  for (auto [key, slot] : model) CHECK(table.find(key) == slot);
  CHECK(table.find(40u << 16) == QueryIdTable::empty);  // a socket outside the pool
  table.erase(0x12345);  // erasing an absent key is harmless
  CHECK(table.size() == model.size());
}
