// Refusals are recorded one way: an observation with outcome not-asked, its reason, and why.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "prober/core/not_asked.h"

using namespace mxsentry;

TEST_CASE("not asked: the builder keeps the task and says why", "[engine]") {
  Task task{*Endpoint::parse("127.0.0.1:5353"), "mx.example.", 15, 42};
  Observation o = not_asked(task, NotAskedReason::private_refused, 1'790'000'000'000, "loopback (127.0.0.0/8)");
  CHECK(o.resolver == task.resolver);
  CHECK(o.qname == "mx.example.");
  CHECK(o.qtype == 15);
  CHECK(o.task_index == 42);
  CHECK(o.outcome == Outcome::not_asked);
  REQUIRE(o.not_asked);
  CHECK(*o.not_asked == NotAskedReason::private_refused);
  CHECK(o.error == "not asked: private address refused by this vantage: loopback (127.0.0.0/8)");
  CHECK(o.time_ms == 1'790'000'000'000);
  CHECK(o.rcode == -1);  // no answer: nothing from the resolver
  CHECK(o.attempts == 0);
  CHECK(not_asked(task, NotAskedReason::opt_out, 0).error == "not asked: the resolver opted out");
}

TEST_CASE("not asked: every reason has its own code, and the code reads back", "[engine]") {
  std::set<std::string> codes;
  for (auto r : {NotAskedReason::opt_out, NotAskedReason::opt_out_coordinator, NotAskedReason::private_refused,
                 NotAskedReason::bad_address}) {
    codes.insert(to_string(r));
    CHECK(not_asked_reason_from_string(to_string(r)) == r);
    CHECK(not_asked_text(r).rfind("not asked: ", 0) == 0);
  }
  CHECK(codes == std::set<std::string>{"opt-out", "opt-out-coordinator", "private-refused", "bad-address"});
  CHECK_FALSE(not_asked_reason_from_string("network-error"));
  CHECK_FALSE(not_asked_reason_from_string(""));
  CHECK(std::string(to_string(Outcome::not_asked)) == "not-asked");
}
