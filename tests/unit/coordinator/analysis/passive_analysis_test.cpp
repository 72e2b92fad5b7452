// The passive method on hand-made sensor records: a forgery one sensor saw, a CDN, a geo-DNS
// split, a renumbering, a name seen by one sensor, and an active truth taking over.
#include <catch2/catch.hpp>

#include <algorithm>

#include "coordinator/analysis/passive_analysis.h"

using namespace mxsentry;

namespace {

constexpr std::uint16_t A = 1;
constexpr std::int64_t s = 1000;  // one second in ms

std::vector<std::uint32_t> asns(const Endpoint& e) {
  std::string a = e.address_string();
  if (a.rfind("8.8.", 0) == 0) return {15169};
  if (a.rfind("1.1.1.", 0) == 0) return {13335};
  if (a.rfind("80.130.", 0) == 0) return {3320};
  return {};
}

PassiveRecord rec(std::string sensor, std::vector<std::string> rdata, std::int64_t first_s, std::int64_t last_s) {
  return PassiveRecord{std::move(sensor), std::move(rdata), first_s * s, last_s * s};
}

std::vector<PassiveVerdict> run(const PassiveName& name, bool with_asns = true,
                                std::optional<std::vector<std::string>> truth = std::nullopt) {
  static const AnalysisConfig config;
  PassiveContext context;
  context.config = &config;
  if (with_asns) context.asns_of = asns;
  context.truth = std::move(truth);
  return analyse_passive_name(name, context);
}

const PassiveVerdict& of(const std::vector<PassiveVerdict>& verdicts, const std::string& rdata) {
  auto it = std::find_if(verdicts.begin(), verdicts.end(), [&](const PassiveVerdict& v) { return v.rdata == rdata; });
  REQUIRE(it != verdicts.end());
  return *it;
}

bool has(const PassiveVerdict& v, Evidence e) { return std::find(v.evidence.begin(), v.evidence.end(), e) != v.evidence.end(); }

// Six sensors see the genuine address all along; sensor s3 sees another for a while.
PassiveName poisoned_name() {
  PassiveName n{"mx.mail.example", A, {}};
  for (int i = 1; i <= 6; ++i) n.records.push_back(rec("s" + std::to_string(i), {"8.8.8.8"}, 0, 1000));
  n.records.push_back(rec("s3", {"1.1.1.66"}, 400, 500));
  return n;
}

}  // namespace

TEST_CASE("passive: an address one sensor saw while the others agreed is poisoned", "[analysis][passive]") {
  auto verdicts = run(poisoned_name());
  REQUIRE(verdicts.size() == 2);
  const auto& forged = of(verdicts, "1.1.1.66");
  CHECK(forged.verdict == VerdictClass::poisoned);
  for (Evidence e : {Evidence::sensor_conflict, Evidence::rare_answer, Evidence::vantage_local, Evidence::asn_mismatch})
    CHECK(has(forged, e));
  CHECK_FALSE(has(forged, Evidence::even_spread));
  CHECK_FALSE(has(forged, Evidence::stable_split));
  CHECK(forged.sensors == std::vector<std::string>{"s3"});
  CHECK(forged.first_ms == 400 * s);
  CHECK(forged.last_ms == 500 * s);
  CHECK(forged.confidence == Approx(0.832));
  const auto& genuine = of(verdicts, "8.8.8.8");
  CHECK(genuine.verdict == VerdictClass::consistent);
  CHECK(genuine.evidence == std::vector<Evidence>{Evidence::sensors_agree});
  CHECK(genuine.sensors.size() == 6);
}

TEST_CASE("passive: without an AS map the lone forgery is suspicious", "[analysis][passive]") {
  auto verdicts = run(poisoned_name(), false);
  const auto& forged = of(verdicts, "1.1.1.66");
  CHECK(forged.verdict == VerdictClass::suspicious);
  CHECK_FALSE(has(forged, Evidence::asn_mismatch));
}

TEST_CASE("passive: the same address seen at another time, by no one else, is not compared", "[analysis][passive]") {
  PassiveName n = poisoned_name();
  n.records.back() = rec("s3", {"1.1.1.66"}, 2000, 2100);  // after every other sensor stopped
  auto verdicts = run(n);
  const auto& later = of(verdicts, "1.1.1.66");
  CHECK(later.verdict == VerdictClass::unknown);
  CHECK(later.evidence == std::vector<Evidence>{Evidence::no_truth});
}

TEST_CASE("passive: a CDN's many addresses, spread evenly over the sensors, are variation", "[analysis][passive]") {
  PassiveName n{"www.cdn.example", A, {}};
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 4; ++j)
      n.records.push_back(rec("s" + std::to_string(i), {"80.130." + std::to_string((i + 3 * j) % 10 + 1) + ".7"},
                              j * 100, j * 100 + 99));
  for (bool with_asns : {true, false}) {
    auto verdicts = run(n, with_asns);
    CHECK(verdicts.size() == 10);
    // Every sensor saw the name all along: an address at most two of the five saw conflicts,
    // one three saw is agreed on (two of the ten, with this rotation).
    std::size_t conflicts = 0;
    for (const auto& v : verdicts) {
      CHECK(has(v, Evidence::sensor_conflict) == (v.sensors.size() <= 2));
      conflicts += has(v, Evidence::sensor_conflict);
    }
    CHECK(conflicts == 8);
    for (const auto& v : verdicts) {
      INFO(v.rdata << (with_asns ? " with" : " without") << " the AS map");
      CHECK_FALSE(v.flagged());
      if (has(v, Evidence::sensor_conflict)) {
        CHECK(v.verdict == VerdictClass::variation);
        CHECK(has(v, Evidence::even_spread));
        CHECK(has(v, Evidence::same_asn) == with_asns);
      }
    }
  }
}

TEST_CASE("passive: the same rotation at one sensor only is not an even spread", "[analysis][passive]") {
  PassiveName n{"www.one.example", A, {}};
  for (int i = 0; i < 5; ++i) n.records.push_back(rec("s" + std::to_string(i), {"8.8.8.8"}, 0, 400));
  for (int j = 0; j < 4; ++j) n.records.push_back(rec("s0", {"1.1.1." + std::to_string(j + 1)}, j * 100, j * 100 + 99));
  auto verdicts = run(n, false);
  for (int j = 1; j <= 4; ++j) {
    const auto& v = of(verdicts, "1.1.1." + std::to_string(j));
    CHECK_FALSE(has(v, Evidence::even_spread));
    CHECK(v.verdict == VerdictClass::suspicious);
  }
}

TEST_CASE("passive: a geo split into stable groups of sensors is variation", "[analysis][passive]") {
  PassiveName n{"mx.geo.example", A, {}};
  for (int i = 1; i <= 3; ++i) n.records.push_back(rec("eu" + std::to_string(i), {"80.130.1.1"}, 0, 1000));
  for (int i = 1; i <= 3; ++i) n.records.push_back(rec("us" + std::to_string(i), {"8.8.8.20"}, 0, 1000));
  auto verdicts = run(n);
  for (const char* address : {"80.130.1.1", "8.8.8.20"}) {
    const auto& v = of(verdicts, address);
    INFO(address);
    CHECK(v.verdict == VerdictClass::variation);
    CHECK(has(v, Evidence::stable_split));
    CHECK(has(v, Evidence::asn_mismatch));
    CHECK_FALSE(has(v, Evidence::rare_answer));  // half the sensors is not rare
  }
  // Two of six: rare, but a stable group of its own.
  n.records[2].sensor = "us4";
  n.records[2].rdata = {"8.8.8.20"};
  verdicts = run(n);
  CHECK(of(verdicts, "80.130.1.1").verdict == VerdictClass::variation);
  CHECK(of(verdicts, "8.8.8.20").verdict == VerdictClass::consistent);
}

TEST_CASE("passive: a group that also saw the other answer is no stable split", "[analysis][passive]") {
  PassiveName n{"mx.geo.example", A, {}};
  for (int i = 1; i <= 4; ++i) n.records.push_back(rec("eu" + std::to_string(i), {"80.130.1.1"}, 0, 1000));
  n.records.push_back(rec("us1", {"8.8.8.20"}, 300, 400));
  n.records.push_back(rec("us2", {"8.8.8.20"}, 300, 400));
  n.records.push_back(rec("us1", {"80.130.1.1"}, 0, 1000));
  n.records.push_back(rec("us2", {"80.130.1.1"}, 0, 1000));
  auto verdicts = run(n);
  const auto& v = of(verdicts, "8.8.8.20");
  CHECK_FALSE(has(v, Evidence::stable_split));
  CHECK(v.flagged());
}

TEST_CASE("passive: a renumbering every sensor sees at once is consistent", "[analysis][passive]") {
  PassiveName n{"mx.moved.example", A, {}};
  for (int i = 0; i < 5; ++i) {
    std::string sensor = "s" + std::to_string(i);
    n.records.push_back(rec(sensor, {"8.8.8.8"}, 0, 500 + i * 60));   // caches let go over five minutes
    n.records.push_back(rec(sensor, {"1.1.1.9"}, 500 + i * 60, 1000));
  }
  auto verdicts = run(n);
  for (const char* address : {"8.8.8.8", "1.1.1.9"}) {
    const auto& v = of(verdicts, address);
    INFO(address);
    CHECK(v.verdict == VerdictClass::consistent);
    CHECK(has(v, Evidence::sensors_agree));
    CHECK(has(v, Evidence::renumbered));
  }
  // Switches further apart than the window are not one renumbering (still agreed by all).
  static const AnalysisConfig config;
  PassiveContext narrow;
  narrow.config = &config;
  narrow.switch_window_ms = 60 * s;
  auto apart = analyse_passive_name(n, narrow);
  CHECK_FALSE(has(of(apart, "1.1.1.9"), Evidence::renumbered));
  CHECK(of(apart, "1.1.1.9").verdict == VerdictClass::consistent);
}

TEST_CASE("passive: a switch that one sensor made and undid is no renumbering", "[analysis][passive]") {
  PassiveName n{"mx.moved.example", A, {}};
  for (int i = 0; i < 2; ++i) {
    n.records.push_back(rec("s" + std::to_string(i), {"8.8.8.8"}, 0, 500));
    n.records.push_back(rec("s" + std::to_string(i), {"1.1.1.9"}, 500, 1000));
  }
  n.records.push_back(rec("s0", {"8.8.8.8"}, 900, 1000));  // back again
  auto verdicts = run(n);
  CHECK_FALSE(has(of(verdicts, "1.1.1.9"), Evidence::renumbered));
}

TEST_CASE("passive: an active truth for the name decides what is genuine", "[analysis][passive]") {
  auto verdicts = run(poisoned_name(), true, std::vector<std::string>{"8.8.8.8"});
  const auto& genuine = of(verdicts, "8.8.8.8");
  CHECK(genuine.verdict == VerdictClass::consistent);
  CHECK(has(genuine, Evidence::match));
  const auto& forged = of(verdicts, "1.1.1.66");
  CHECK(forged.verdict == VerdictClass::poisoned);
  CHECK(has(forged, Evidence::not_in_truth));
  CHECK_FALSE(has(forged, Evidence::sensor_conflict));
  // The truth says the minority answer is genuine: the majority's is then the odd one.
  auto reversed = run(poisoned_name(), true, std::vector<std::string>{"1.1.1.66"});
  CHECK(of(reversed, "1.1.1.66").verdict == VerdictClass::consistent);
  CHECK(has(of(reversed, "8.8.8.8"), Evidence::not_in_truth));
}

TEST_CASE("passive: a minority address on the IOC list is ioc-listed, a majority one is not looked up", "[analysis][passive]") {
  static const AnalysisConfig config;
  PrefixList ioc;
  ioc.add(Prefix{*Endpoint::parse("1.1.1.0"), 24});
  ioc.add(Prefix{*Endpoint::parse("8.8.8.8"), 32});
  PassiveContext context;
  context.config = &config;
  context.ioc = &ioc;
  auto verdicts = analyse_passive_name(poisoned_name(), context);
  CHECK(has(of(verdicts, "1.1.1.66"), Evidence::ioc_listed));
  CHECK(of(verdicts, "1.1.1.66").verdict == VerdictClass::poisoned);  // 1 - 0.7 x 0.6 x 0.8 x 0.1
  CHECK_FALSE(has(of(verdicts, "8.8.8.8"), Evidence::ioc_listed));   // agreed on by every sensor
}

TEST_CASE("passive: AAAA records are compared the same way, /48 for same-prefix", "[analysis][passive]") {
  PassiveName n{"mx.v6.example", 28, {}};
  for (int i = 1; i <= 6; ++i) n.records.push_back(rec("s" + std::to_string(i), {"2001:4860:1::8"}, 0, 1000));
  n.records.push_back(rec("s2", {"2001:4860:1:99::66"}, 100, 200));  // the same /48
  auto verdicts = run(n, false);
  const auto& near = of(verdicts, "2001:4860:1:99::66");
  CHECK(has(near, Evidence::same_prefix));
  CHECK(near.verdict == VerdictClass::variation);  // 0.664 x 0.4
  CHECK(of(verdicts, "2001:4860:1::8").verdict == VerdictClass::consistent);
}
