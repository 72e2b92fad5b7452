// A task not asked on the wire: it reads back with its reason, and a peer from before
// not-asked (which ignores unknown keys) reads it as the network error it always got.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <msgpack.hpp>

#include "prober/core/not_asked.h"
#include "protocol/message_codec.h"

using namespace mxsentry;
using namespace mxsentry::protocol;

namespace {

Observation refused(NotAskedReason reason) {
  return not_asked(Task{*Endpoint::parse("10.1.2.3"), "mx.example.", 1, 17}, reason, 1'790'000'000'000, "detail");
}

/// The outcome number and the keys as a peer that knows nothing of not-asked sees them.
std::pair<int, std::set<std::string>> as_old_peer_sees(const std::string& bytes) {
  msgpack::object_handle handle = msgpack::unpack(bytes.data(), bytes.size());
  const msgpack::object& map = handle.get();
  REQUIRE(map.type == msgpack::type::MAP);
  int outcome = -1;
  std::set<std::string> keys;
  for (std::uint32_t i = 0; i < map.via.map.size; ++i) {
    std::string key = map.via.map.ptr[i].key.as<std::string>();
    keys.insert(key);
    if (key == "outcome") outcome = map.via.map.ptr[i].val.as<int>();
  }
  return {outcome, keys};
}

std::string with_not_asked(int outcome, const std::string& reason) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> p(buffer);
  std::string plain = encode_observation(refused(NotAskedReason::opt_out));
  // Rebuild the map with the given outcome and reason, every other field as encoded.
  msgpack::object_handle handle = msgpack::unpack(plain.data(), plain.size());
  const msgpack::object& map = handle.get();
  p.pack_map(map.via.map.size);
  for (std::uint32_t i = 0; i < map.via.map.size; ++i) {
    std::string key = map.via.map.ptr[i].key.as<std::string>();
    p.pack(key);
    if (key == "outcome")
      p.pack(outcome);
    else if (key == "not_asked")
      p.pack(reason);
    else
      p.pack(map.via.map.ptr[i].val);
  }
  return std::string(buffer.data(), buffer.size());
}

}  // namespace

TEST_CASE("protocol: a task not asked reads back with its reason", "[protocol]") {
  for (auto reason : {NotAskedReason::opt_out, NotAskedReason::opt_out_coordinator, NotAskedReason::private_refused,
                      NotAskedReason::bad_address}) {
    Observation o = refused(reason);
    Observation back = decode_observation(encode_observation(o));
    CHECK(back.outcome == Outcome::not_asked);
    REQUIRE(back.not_asked);
    CHECK(*back.not_asked == reason);
    CHECK(back.error == o.error);
    CHECK(back.task_index == 17);
    CHECK(back.resolver == o.resolver);
    CHECK(back.time_ms == o.time_ms);
  }
  // Inside a RESULTS batch too.
  Results results{3, 0, {refused(NotAskedReason::private_refused)}};
  Frames f = encode(results);
  auto back = std::get<Results>(decode(f.type, f.body));
  REQUIRE(back.observations.size() == 1);
  CHECK(back.observations[0].outcome == Outcome::not_asked);
  CHECK(back.rejected == 0);
}

TEST_CASE("protocol: an older peer reads a task not asked as a network error", "[protocol]") {
  auto [outcome, keys] = as_old_peer_sees(encode_observation(refused(NotAskedReason::opt_out)));
  CHECK(outcome == static_cast<int>(Outcome::network_error));
  CHECK(keys.count("not_asked") == 1);
  // Other outcomes carry no such key.
  Observation timeout = refused(NotAskedReason::opt_out);
  timeout.outcome = Outcome::timeout;
  timeout.not_asked.reset();
  auto [timeout_outcome, timeout_keys] = as_old_peer_sees(encode_observation(timeout));
  CHECK(timeout_outcome == static_cast<int>(Outcome::timeout));
  CHECK(timeout_keys.count("not_asked") == 0);
  // And an older peer's network error, without the key, stays one here.
  timeout.outcome = Outcome::network_error;
  Observation plain = decode_observation(encode_observation(timeout));
  CHECK(plain.outcome == Outcome::network_error);
  CHECK_FALSE(plain.not_asked);
}

TEST_CASE("protocol: a not_asked key is checked, an unknown reason stays a network error", "[protocol]") {
  Observation newer = decode_observation(with_not_asked(3, "rate-limited-by-operator"));
  CHECK(newer.outcome == Outcome::network_error);
  CHECK_FALSE(newer.not_asked);
  CHECK(decode_observation(with_not_asked(3, "private-refused")).outcome == Outcome::not_asked);
  CHECK_THROWS_WITH(decode_observation(with_not_asked(0, "opt-out")), Catch::Contains("only with outcome network-error"));
  CHECK_THROWS_WITH(decode_observation(with_not_asked(4, "opt-out")), Catch::Contains("unknown outcome"));
}
