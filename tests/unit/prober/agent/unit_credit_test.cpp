// The prober's credit: a unit gives its feeding slot back when its tasks are all taken, its
// holding slot when its DONE goes.
#include <catch2/catch.hpp>

#include "prober/agent/unit_credit.h"

using namespace mxsentry;

TEST_CASE("unit credit: the first offer is every free slot, then only what comes free", "[agent][unit_credit]") {
  UnitCredit credit(2, 8);
  CHECK(credit.holding_slots() == 8);
  CHECK(credit.offer(0, 0) == 2);
  CHECK(credit.offer(0, 0) == 0);  // the coordinator has both already
  credit.unit_arrived();
  CHECK(credit.has_room(0, 0));
  CHECK(credit.offer(1, 1) == 0);  // one used, one still given: nothing new
  credit.unit_arrived();
  CHECK(credit.offer(2, 2) == 0);
  CHECK_FALSE(credit.has_room(2, 2));
  // The engine took every task of one unit: its feeding slot is free while it is still held.
  CHECK(credit.offer(1, 2) == 1);
  CHECK(credit.offer(1, 2) == 0);
}

TEST_CASE("unit credit: units waiting for their last answers are bounded by the holding slots",
          "[agent][unit_credit]") {
  UnitCredit credit(2, 3);
  CHECK(credit.offer(0, 0) == 2);
  credit.unit_arrived();
  credit.unit_arrived();
  CHECK(credit.offer(0, 2) == 1);  // both fed: only one holding slot is left
  credit.unit_arrived();
  CHECK(credit.offer(0, 3) == 0);
  CHECK_FALSE(credit.has_room(0, 3));
  CHECK(credit.offer(0, 2) == 1);  // a DONE went
}

TEST_CASE("unit credit: HELLO starts from nothing, a READY not sent is not counted", "[agent][unit_credit]") {
  UnitCredit credit(4, 4);
  CHECK(credit.offer(1, 1) == 3);
  credit.reset();
  CHECK(credit.offer(1, 1) == 3);  // a new HELLO: the coordinator forgot the credit
  credit.not_given(3);
  CHECK(credit.offer(1, 1) == 3);
  credit.unit_arrived();  // a unit beyond the credit given (a coordinator that miscounts)
  credit.unit_arrived();
  credit.unit_arrived();
  credit.unit_arrived();
  CHECK(credit.offer(4, 4) == 0);
  CHECK_FALSE(credit.has_room(4, 4));
}

TEST_CASE("unit credit: the holding slots are never fewer than the feeding ones", "[agent][unit_credit]") {
  UnitCredit credit(0, 0);
  CHECK(credit.feeding_slots() == 1);
  CHECK(credit.holding_slots() == 1);
  CHECK(credit.offer(0, 0) == 1);
}
