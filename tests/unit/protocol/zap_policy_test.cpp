// ZAP: only allowlisted CURVE keys get in, under their file's name.
#include <catch2/catch.hpp>

#include <array>
#include <fstream>

#include <zmq.h>

#include "protocol/curve_keys.h"
#include "protocol/zap_policy.h"

using namespace mxsentry;

namespace {

std::string raw(const std::string& z85) {
  std::array<std::uint8_t, 32> bytes{};
  REQUIRE(zmq_z85_decode(bytes.data(), z85.c_str()) != nullptr);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::vector<std::string> request(const std::string& key, const std::string& mechanism = "CURVE",
                                 const std::string& domain = "mxsentry") {
  return {"1.0", "7", domain, "127.0.0.1", "", mechanism, key};
}

}  // namespace

TEST_CASE("zap: an allowed key is admitted under its name, others are not", "[protocol]") {
  CurveKeyPair vp1 = generate_curve_keys(), stranger = generate_curve_keys();
  Allowlist allow;
  allow.add(vp1.public_key, "vp1");
  auto ok = zap_reply(request(raw(vp1.public_key)), allow, "mxsentry");
  CHECK(ok == std::vector<std::string>{"1.0", "7", "200", "OK", "vp1", ""});
  CHECK(zap_reply(request(raw(stranger.public_key)), allow, "mxsentry")[2] == "400");
  CHECK(zap_reply(request(raw(vp1.public_key), "CURVE", "other"), allow, "mxsentry")[2] == "400");
  CHECK(zap_reply({"1.0", "7", "mxsentry", "127.0.0.1", "", "NULL"}, allow, "mxsentry")[2] == "400");
  CHECK(zap_reply({"2.0", "7"}, allow, "mxsentry")[2] == "500");
  CHECK(zap_reply({}, allow, "mxsentry")[2] == "500");
  CHECK_THROWS_AS(allow.add("short", "bad"), KeyError);
}

TEST_CASE("zap: the allowlist is the .pub files of a directory", "[protocol]") {
  char dir[] = "/tmp/mxsentry-allow-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  CurveKeyPair vp1 = generate_curve_keys();
  write_curve_keys(std::string(dir) + "/vp1", vp1);
  Allowlist allow = Allowlist::load(dir);
  CHECK(allow.size() == 1);  // vp1.key is not a .pub: skipped
  CHECK(allow.name_of(raw(vp1.public_key)) == "vp1");
  CHECK_THROWS_AS(Allowlist::load("/nonexistent-dir"), KeyError);
  std::remove((std::string(dir) + "/vp1.pub").c_str());
  std::remove((std::string(dir) + "/vp1.key").c_str());
  rmdir(dir);
}

TEST_CASE("zap: a .pub whose name is no prober name is refused, not admitted nameless", "[protocol]") {
  char dir[] = "/tmp/mxsentry-allow-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string odd = std::string(dir) + "/vp\x1b[31m.pub";
  {
    std::ofstream out(odd);
    out << generate_curve_keys().public_key << "\n";
  }
  CHECK_THROWS_WITH(Allowlist::load(dir), Catch::Contains("printable"));
  std::remove(odd.c_str());
  CHECK(Allowlist::load(dir).size() == 0);
  rmdir(dir);
}
