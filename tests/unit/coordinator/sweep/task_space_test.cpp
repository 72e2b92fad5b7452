// Tasks as indices into a sweep's interned inputs: which resolver and question a task is, how
// many tasks a resolver gets, and which ranges a space can hold.
#include <catch2/catch.hpp>

#include <map>

#include "coordinator/sweep/task_space.h"

using namespace mxsentry;

namespace {

TaskSpace space_of(std::size_t resolvers, std::size_t questions) {
  std::vector<std::string> r;
  for (std::size_t i = 0; i < resolvers; ++i) r.push_back("192.0.2." + std::to_string(i + 1));
  std::vector<Question> q;
  for (std::size_t i = 0; i < questions; ++i) q.push_back({"n" + std::to_string(i) + ".example.", 1});
  return TaskSpace(std::move(r), std::move(q));
}

}  // namespace

TEST_CASE("task range: a task is a resolver of the block and a question, resolvers first", "[sweep]") {
  TaskSpace space = space_of(6, 3);
  // The block is resolvers 2..4 (three of them); the range is tasks 4..7 of the block's 9.
  TaskRange range{2, 3, 4, 4};
  REQUIRE(range_fits(space, range));
  CHECK(work_task(space, range, 0) == protocol::WorkTask{0, "192.0.2.4", "n1.example.", 1});
  CHECK(work_task(space, range, 1) == protocol::WorkTask{1, "192.0.2.5", "n1.example.", 1});
  CHECK(work_task(space, range, 2) == protocol::WorkTask{2, "192.0.2.3", "n2.example.", 1});
  CHECK(work_task(space, range, 3) == protocol::WorkTask{3, "192.0.2.4", "n2.example.", 1});
  CHECK(space.endpoints.size() == 6);
  CHECK(space.endpoints[3] == Endpoint::parse("192.0.2.4"));
}

TEST_CASE("task range: the most tasks one resolver gets, counted against the tasks themselves", "[sweep]") {
  for (std::uint32_t resolvers : {1u, 2u, 3u, 7u}) {
    for (std::uint64_t first = 0; first < 9; ++first) {
      for (std::uint32_t count = 1; count <= 12; ++count) {
        TaskRange range{0, resolvers, first, count};
        std::map<std::uint32_t, std::uint32_t> per_resolver;
        std::uint32_t most = 0;
        for (std::uint32_t t = 0; t < count; ++t) most = std::max(most, ++per_resolver[range.resolver_index(t)]);
        INFO("resolvers " << resolvers << " first " << first << " count " << count);
        CHECK(range.most_per_resolver() == most);
      }
    }
  }
  CHECK(TaskRange{}.most_per_resolver() == 0);
  CHECK(TaskRange{0, 3, 0, 0}.most_per_resolver() == 0);
}

TEST_CASE("task range: a range outside its space does not fit", "[sweep]") {
  TaskSpace space = space_of(4, 2);  // 8 tasks over all four resolvers
  CHECK(range_fits(space, TaskRange{0, 4, 0, 8}));
  CHECK(range_fits(space, TaskRange{3, 1, 1, 1}));
  CHECK_FALSE(range_fits(space, TaskRange{0, 4, 1, 8}));  // one task past the block
  CHECK_FALSE(range_fits(space, TaskRange{2, 3, 0, 1}));  // resolvers past the list
  CHECK_FALSE(range_fits(space, TaskRange{0, 0, 0, 1}));  // no block: a listed unit
  CHECK_FALSE(range_fits(space, TaskRange{4294967295u, 2, 0, 1}));  // no wrap around 2^32
  CHECK_FALSE(range_fits(TaskSpace{}, TaskRange{0, 1, 0, 1}));
  // A first task read back from a damaged file as -1: first + count must not wrap to 0.
  CHECK_FALSE(range_fits(space, TaskRange{0, 1, UINT64_MAX, 1}));
  CHECK_FALSE(range_fits(space, TaskRange{0, 4, 9, 0}));
}
