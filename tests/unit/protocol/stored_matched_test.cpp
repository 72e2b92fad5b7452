// The coordinator store's form of a compact result: smaller than the prober's, every field
// back as it was (the RTT to the microsecond), the usual values left out, and a hostile or
// damaged row refused with a reason.
#include <limits>

#include <catch2/catch.hpp>

#include <msgpack.hpp>

#include "protocol/message_codec.h"
#include "protocol/stored_matched.h"

using namespace mxsentry;
using namespace mxsentry::protocol;

namespace {

constexpr std::int64_t base = 1'700'000'000'000;

MatchedResult usual() {
  MatchedResult m;
  m.task_index = 41;
  m.answer_set = 1;
  m.ttls = {300, 300};
  m.flags.rd = m.flags.ra = true;
  m.edns = Edns{true, 1232, 0, false};
  m.rtt_ms = 1.234;
  m.time_ms = base + 61'000;
  return m;
}

MatchedResult back(const MatchedResult& m, std::size_t set_size = 2) {
  auto bytes = encode_stored_matched(m, base);
  REQUIRE(bytes);
  return decode_stored_matched(*bytes, m.task_index, base, [&](std::uint32_t) { return set_size; });
}

std::string packed(const std::function<void(msgpack::packer<msgpack::sbuffer>&)>& write) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> p(buffer);
  write(p);
  return std::string(buffer.data(), buffer.size());
}

}  // namespace

TEST_CASE("stored matched result: the usual answer round-trips in under half the wire's bytes", "[protocol][storage]") {
  MatchedResult m = usual();
  auto bytes = encode_stored_matched(m, base);
  REQUIRE(bytes);
  CHECK(bytes->size() * 2 < encode_matched(m).size());
  CHECK(bytes->size() <= 16);
  CHECK(back(m) == m);
}

TEST_CASE("stored matched result: every unusual field survives", "[protocol][storage]") {
  MatchedResult m = usual();
  SECTION("TTLs that differ") { m.ttls = {300, 17}; }
  SECTION("no EDNS") { m.edns = Edns{}; }
  SECTION("the DO bit and an EDNS version") { m.edns = Edns{true, 4096, 1, true}; }
  SECTION("retries") { m.attempts = 3; }
  SECTION("TCP") { m.transport = Transport::tcp; }
  SECTION("an authority section") { m.authority = {{"example.", 2, 3600, ""}}; }
  SECTION("a time before the sweep's start") { m.time_ms = base - 5; }
  SECTION("every flag") { m.flags = HeaderFlags{true, true, true, true, true, true}; }
  CHECK(back(m) == m);
}

TEST_CASE("stored matched result: one TTL stands for every record of the set", "[protocol][storage]") {
  MatchedResult m = usual();
  m.ttls = {60, 60, 60};
  auto bytes = encode_stored_matched(m, base);
  REQUIRE(bytes);
  std::uint32_t asked = 99;
  auto read = decode_stored_matched(*bytes, 41, base, [&](std::uint32_t set) {
    asked = set;
    return std::size_t{3};
  });
  CHECK(asked == 1);
  CHECK(read.ttls == m.ttls);
  // An empty answer (a set with no records) keeps its empty list.
  m.ttls.clear();
  CHECK(back(m, 0).ttls.empty());
}

TEST_CASE("stored matched result: RTTs are kept in whole microseconds, hostile ones bounded", "[protocol][storage]") {
  MatchedResult m = usual();
  m.rtt_ms = 2.0005004;  // 2,000.5004 microseconds
  CHECK(back(m).rtt_ms == Approx(2.001).margin(1e-9));
  m.rtt_ms = 2.0004996;
  CHECK(back(m).rtt_ms == Approx(2.0).margin(1e-9));
  m.rtt_ms = std::numeric_limits<double>::quiet_NaN();
  CHECK(back(m).rtt_ms == 0);
  m.rtt_ms = 1e300;
  CHECK(back(m).rtt_ms == 4.0e6);
  m.rtt_ms = -3;
  CHECK(back(m).rtt_ms == 0);
}

TEST_CASE("stored matched result: a time too far from the sweep's start is not stored this way", "[protocol][storage]") {
  MatchedResult m = usual();
  m.time_ms = std::numeric_limits<std::int64_t>::min();
  CHECK_FALSE(encode_stored_matched(m, base).has_value());
}

TEST_CASE("stored matched result: damaged rows are refused with a reason", "[protocol][storage]") {
  auto none = [](std::uint32_t) { return std::size_t{1}; };
  auto refused = [&](const std::string& bytes, const std::string& why) {
    CHECK_THROWS_WITH(decode_stored_matched(bytes, 0, base, none), Catch::Contains(why));
  };
  refused(packed([](auto& p) { p.pack_array(3), p.pack(0), p.pack(1), p.pack(2); }), "6 to 10 elements");
  refused(packed([](auto& p) { p.pack_array(11); for (int i = 0; i < 11; ++i) p.pack(0); }), "more than 10");
  refused(packed([](auto& p) { p.pack_array(6), p.pack(0), p.pack(1), p.pack(0), p.pack(0x20000), p.pack(0), p.pack(0); }),
          "out of range");
  refused(packed([](auto& p) { p.pack_array(6), p.pack(0), p.pack("x"), p.pack(0), p.pack_nil(), p.pack(0), p.pack(0); }),
          "expected an integer");
  refused(packed([](auto& p) {
            p.pack_array(6), p.pack(0), p.pack(1), p.pack(0), p.pack_nil(), p.pack(0);
            p.pack(std::numeric_limits<std::int64_t>::max());
          }),
          "out of range");
  // A single TTL for a set the caller says is larger than any answer may be.
  CHECK_THROWS_WITH(decode_stored_matched(packed([](auto& p) {
                                            p.pack_array(6), p.pack(0), p.pack(1), p.pack(0), p.pack_nil(), p.pack(0),
                                                p.pack(0);
                                          }),
                                          0, base, [](std::uint32_t) { return std::size_t{100000}; }),
                    Catch::Contains("a set of more than"));
}
