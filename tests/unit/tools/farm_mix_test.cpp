// The farm's behaviour mix: what --mix accepts and what it refuses.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "tests/tools/farm_mix.hpp"

using namespace mxsentry::farm;

TEST_CASE("farm mix: honest takes what the others leave") {
  const Mix mix = parse_mix("poisoned=0.02,cdn=0.03");
  CHECK(mix[Behaviour::poisoned] == Approx(0.02));
  CHECK(mix[Behaviour::cdn] == Approx(0.03));
  CHECK(mix[Behaviour::honest] == Approx(0.95));
  CHECK(mix[Behaviour::silent] == 0);
}

TEST_CASE("farm mix: a full mix summing to 1 is taken as given") {
  const Mix mix = parse_mix(
      "honest=0.9,poisoned=0.02,cdn=0.03,geo=0.01,slow=0.01,lossy=0.01,servfail=0.005,refused=0.005,"
      "silent=0.005,ratelimit=0.005");
  CHECK(mix[Behaviour::honest] == Approx(0.9));
  CHECK(mix[Behaviour::ratelimit] == Approx(0.005));
  CHECK(to_string(mix) ==
        "honest=0.9,poisoned=0.02,cdn=0.03,geo=0.01,slow=0.01,lossy=0.01,servfail=0.005,refused=0.005,"
        "silent=0.005,ratelimit=0.005");
}

TEST_CASE("farm mix: bad input is refused with the reason") {
  auto refused = [](const char* text, const char* reason) {
    INFO(text);
    CHECK_THROWS_WITH(parse_mix(text), Catch::Contains(reason));
  };
  refused("poisoned=nan", "finite");
  refused("poisoned=inf", "finite");
  refused("poisoned=-0.1", "between 0 and 1");
  refused("poisoned=1.5", "between 0 and 1");
  refused("poisoned=0.6,cdn=0.6", "more than 1");
  refused("honest=0.5,cdn=0.2", "not 1");
  refused("honest=0.9,poisoned=0.2", "more than 1");
  refused("poisoned=0.1,poisoned=0.1", "twice");
  refused("evil=0.1", "unknown behaviour");
  refused("poisoned", "NAME=FRACTION");
  refused("poisoned=", "not a number");
  refused("poisoned=0.1x", "not a number");
  refused("poisoned=0.1,", "trailing comma");
  refused("", "empty");
}

TEST_CASE("farm mix: every behaviour has a name that reads back") {
  for (std::size_t i = 0; i < behaviour_count; ++i) {
    const auto b = static_cast<Behaviour>(i);
    CHECK(behaviour_from_name(behaviour_name(b)) == b);
  }
  CHECK_FALSE(behaviour_from_name("Honest"));
}
