// The impairment relay's choices (tests/tools/impairment.*): the fault tests read the relay's
// log as the truth about the path, so what it draws must be what it was told.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "tests/tools/impairment.hpp"

using namespace mxsentry::test_relay;
using std::chrono::milliseconds;

TEST_CASE("impairment: settings out of range are refused", "[tools][impairment]") {
  CHECK(validate(Impairment{}).empty());
  CHECK(validate(Impairment{.loss = 1, .duplicate = 0.5, .reorder = 0, .delay_ms = 10'000}).empty());
  CHECK_FALSE(validate(Impairment{.loss = 1.01}).empty());
  CHECK_FALSE(validate(Impairment{.duplicate = -0.1}).empty());
  CHECK_FALSE(validate(Impairment{.reorder = std::numeric_limits<double>::quiet_NaN()}).empty());
  CHECK_FALSE(validate(Impairment{.jitter_ms = -1}).empty());
  CHECK_FALSE(validate(Impairment{.reorder_ms = 10'001}).empty());
}

TEST_CASE("impairment: the fates follow the settings, and the seed", "[tools][impairment]") {
  const Impairment settings{.loss = 0.2, .duplicate = 0.3, .reorder = 0.25, .delay_ms = 5, .jitter_ms = 20, .reorder_ms = 60};
  Impairer a(settings, 42), b(settings, 42), c(settings, 43);
  const int n = 20'000;
  int dropped = 0, twice = 0, held = 0, differs = 0;
  for (int i = 0; i < n; ++i) {
    Fate f = a.next(), g = b.next(), h = c.next();
    CHECK(f.copies == g.copies);  // the same seed, the same fates
    differs += f.copies != h.copies;
    if (f.copies.empty()) {
      ++dropped;
      continue;
    }
    REQUIRE(f.copies.size() <= 2);
    const milliseconds extra = f.reordered ? milliseconds(60) : milliseconds(0);
    CHECK(f.copies[0] >= milliseconds(5) + extra);
    CHECK(f.copies[0] <= milliseconds(25) + extra);
    held += f.reordered;
    if (f.copies.size() == 2) {
      ++twice;
      CHECK(f.copies[1] > f.copies[0]);  // a duplicate follows its original
    }
  }
  CHECK(differs > n / 2);
  // Within 5 standard deviations of what was asked.
  CHECK(dropped == Approx(0.2 * n).margin(5 * 57));
  CHECK(twice == Approx(0.3 * 0.8 * n).margin(5 * 61));
  CHECK(held == Approx(0.25 * 0.8 * n).margin(5 * 57));
}

TEST_CASE("impairment: nothing asked, nothing done", "[tools][impairment]") {
  Impairer quiet(Impairment{}, 7);
  for (int i = 0; i < 1000; ++i) {
    Fate f = quiet.next();
    REQUIRE(f.copies.size() == 1);
    CHECK(f.copies[0] == milliseconds(0));
    CHECK_FALSE(f.reordered);
  }
}

TEST_CASE("impairment: the log's view of a DNS message", "[tools][impairment]") {
  // ID 0x1234, a reply (QR), one question: Mx.Example. A IN
  std::vector<std::uint8_t> wire{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
                                 2, 'M', 'x', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1};
  auto peek = peek_dns(wire);
  REQUIRE(peek);
  CHECK(peek->id == 0x1234);
  CHECK(peek->response);
  CHECK(peek->qname == "mx.example.");
  wire[13] = ' ';  // a space would split the log's line
  CHECK(peek_dns(wire)->qname == "?x.example.");
  CHECK_FALSE(peek_dns(std::vector<std::uint8_t>(wire.begin(), wire.begin() + 11)));  // no header
  CHECK_FALSE(peek_dns(std::vector<std::uint8_t>(wire.begin(), wire.begin() + 16)));  // name cut
  wire[5] = 0;  // no question
  CHECK_FALSE(peek_dns(wire));
  wire[5] = 1;
  wire[12] = 0xc0;  // a pointer: never in a question the relay passes
  CHECK_FALSE(peek_dns(wire));
}
