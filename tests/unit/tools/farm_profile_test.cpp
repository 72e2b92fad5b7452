// The farm's resolvers and zone: drawn from the seed, the same every time.

#include <catch2/catch.hpp>

#include <array>
#include <sstream>
#include <string>

#include "tests/tools/farm_profile.hpp"

using namespace mxsentry::farm;

namespace {

const Mix mix = parse_mix(
    "honest=0.9,poisoned=0.02,cdn=0.03,geo=0.01,slow=0.01,lossy=0.01,servfail=0.005,refused=0.005,"
    "silent=0.005,ratelimit=0.005");

std::array<std::uint32_t, behaviour_count> counts(const std::vector<ResolverProfile>& profiles) {
  std::array<std::uint32_t, behaviour_count> c{};
  for (const auto& p : profiles) ++c[static_cast<std::size_t>(p.behaviour)];
  return c;
}

bool same(const ResolverProfile& a, const ResolverProfile& b) {
  return a.behaviour == b.behaviour && a.delay_ms == b.delay_ms && a.loss_permille == b.loss_permille &&
         a.rate_per_second == b.rate_per_second && a.refuse_over_rate == b.refuse_over_rate;
}

}  // namespace

TEST_CASE("farm profiles: the same seed gives the same farm, another seed another one") {
  const auto a = draw_profiles(mix, 5000, 7), b = draw_profiles(mix, 5000, 7), c = draw_profiles(mix, 5000, 8);
  REQUIRE(a.size() == 5000);
  bool all_same = true, all_same_as_c = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    all_same = all_same && same(a[i], b[i]);
    all_same_as_c = all_same_as_c && same(a[i], c[i]);
  }
  CHECK(all_same);
  CHECK_FALSE(all_same_as_c);
  CHECK(counts(a) == counts(c));  // the seed moves resolvers around, not the counts
}

TEST_CASE("farm profiles: counts follow the shares and always add up") {
  const auto c = counts(draw_profiles(mix, 1000, 1));
  CHECK(c[static_cast<std::size_t>(Behaviour::honest)] == 900);
  CHECK(c[static_cast<std::size_t>(Behaviour::poisoned)] == 20);
  CHECK(c[static_cast<std::size_t>(Behaviour::cdn)] == 30);
  CHECK(c[static_cast<std::size_t>(Behaviour::silent)] == 5);
  const auto odd = counts(draw_profiles(mix, 7, 1));
  std::uint32_t total = 0;
  for (auto n : odd) total += n;
  CHECK(total == 7);
  const auto none = counts(draw_profiles(parse_mix("poisoned=0.5"), 3, 1));  // 1.5 each: one gets 2
  CHECK(none[static_cast<std::size_t>(Behaviour::poisoned)] + none[static_cast<std::size_t>(Behaviour::honest)] == 3);
  CHECK(none[static_cast<std::size_t>(Behaviour::cdn)] == 0);
}

TEST_CASE("farm profiles: parameters within their ranges") {
  for (const auto& p : draw_profiles(mix, 20000, 3)) {
    if (p.behaviour == Behaviour::slow) CHECK((p.delay_ms >= 200 && p.delay_ms <= 1200));
    if (p.behaviour == Behaviour::lossy) CHECK((p.loss_permille >= 200 && p.loss_permille <= 500));
    if (p.behaviour == Behaviour::ratelimit) CHECK((p.rate_per_second >= 1 && p.rate_per_second <= 3));
  }
}

TEST_CASE("farm zone: names and their truth") {
  ZoneModel model;
  model.names = 100;
  CHECK(name_index(model, "h0.mailhost.test.") == 0u);
  CHECK(name_index(model, "H99.MailHost.Test") == 99u);
  CHECK_FALSE(name_index(model, "h100.mailhost.test."));
  CHECK_FALSE(name_index(model, "h07.mailhost.test."));
  CHECK_FALSE(name_index(model, "h7.other.test."));
  CHECK_FALSE(name_index(model, "x7.mailhost.test."));
  CHECK(model.name(12) == "h12.mailhost.test.");

  const AnswerSet t = true_answer(model, 5, false);
  CHECK((t.v4_count >= 1 && t.v4_count <= 3));
  CHECK((t.ttl == 300 || t.ttl == 600 || t.ttl == 3600));
  const AnswerSet again = true_answer(model, 5, false);
  CHECK(again.v4 == t.v4);
  for (std::uint32_t name = 0; name < 100; ++name) {
    const AnswerSet first = true_answer(model, name, false), second = true_answer(model, name, true);
    CHECK(first.ttl == second.ttl);
    CHECK((first.v4 == second.v4) != is_geo_split(model, name));
  }
}

TEST_CASE("farm zone: CDN answers stay in the truth's /24 but outside the truth") {
  ZoneModel model;
  for (std::uint32_t name = 0; name < 50; ++name) {
    const AnswerSet truth = true_answer(model, name, false);
    const AnswerSet cdn = cdn_answer(model, 9, name);
    for (std::uint8_t i = 0; i < cdn.v4_count; ++i) {
      CHECK((cdn.v4[i] >> 8) == (truth.v4[0] >> 8));
      for (std::uint8_t k = 0; k < truth.v4_count; ++k) CHECK(cdn.v4[i] != truth.v4[k]);
    }
    CHECK(std::equal(cdn.v6[0].begin(), cdn.v6[0].begin() + 6, truth.v6[0].begin()));
    CHECK(cdn.ttl <= truth.ttl);
  }
}

TEST_CASE("farm zone: forged answers are outside the truth, with a raised TTL counting down") {
  ZoneModel model;
  model.forged_share = 0.5;
  unsigned forged = 0;
  for (std::uint32_t name = 0; name < 200; ++name) {
    if (!forges(model, 4, name)) continue;
    ++forged;
    const AnswerSet f = forged_answer(model, 4, name, 0), later = forged_answer(model, 4, name, 3);
    for (bool second : {false, true}) {
      const AnswerSet truth = true_answer(model, name, second);
      for (std::uint8_t k = 0; k < truth.v4_count; ++k) CHECK(f.v4[0] != truth.v4[k]);
      CHECK(f.ttl > truth.ttl);
    }
    CHECK(f.v4 == later.v4);
    if (later.ttl < f.ttl) CHECK(f.ttl - later.ttl == 3);  // else it wrapped (a refill)
  }
  CHECK((forged > 60 && forged < 140));
}

namespace {

// The ground-truth file the farm writes for these profiles, as text.
std::string ground_truth_of(const ZoneModel& model, const char* mix, const std::vector<ResolverProfile>& profiles) {
  std::ostringstream out;
  write_ground_truth(out, model, parse_mix(mix), profiles, 0x7f3c0001);
  return out.str();
}

}  // namespace

TEST_CASE("farm ground truth: one line per resolver, forged names with their addresses") {
  ZoneModel model;
  model.names = 40;
  model.forged_share = 0.3;
  model.seed = 2;
  const auto profiles = draw_profiles(parse_mix("poisoned=0.5,slow=0.25,ratelimit=0.25"), 4, 2);
  const std::string text = ground_truth_of(model, "poisoned=0.5,slow=0.25,ratelimit=0.25", profiles);
  std::istringstream in(text);
  std::string line;
  unsigned resolvers = 0;
  while (std::getline(in, line)) {
    if (line[0] == '#') continue;
    INFO(line);
    CHECK(line.rfind("127.60.0." + std::to_string(1 + resolvers) + " ", 0) == 0);
    const auto& p = profiles[resolvers++];
    CHECK(line.find(std::string(" ") + std::string(behaviour_name(p.behaviour))) != std::string::npos);
    if (p.behaviour == Behaviour::slow) CHECK(line.find(" delay_ms=") != std::string::npos);
    if (p.behaviour == Behaviour::ratelimit) CHECK(line.find(" over_rate=") != std::string::npos);
    if (p.behaviour == Behaviour::poisoned) CHECK(line.find(".mailhost.test.=") != std::string::npos);
  }
  CHECK(resolvers == 4);
  CHECK(text.find("# seed 2\n") != std::string::npos);
}

TEST_CASE("farm ground truth: with K zones the forged names are spelled in their zones") {
  ZoneModel model;
  model.names = 40;
  model.zones = 4;
  model.forged_share = 0.5;
  const auto profiles = draw_profiles(parse_mix("poisoned=1"), 2, 1);
  const std::string text = ground_truth_of(model, "poisoned=1", profiles);
  CHECK(text.find("# zones 4\n") != std::string::npos);
  unsigned forged = 0;
  for (std::uint32_t name = 0; name < model.names; ++name) {
    if (!forges(model, 0, name)) continue;
    ++forged;
    const std::string spelled = " h" + std::to_string(name) + ".z" + std::to_string(name % 4) + ".mailhost.test.=";
    CHECK(text.find(spelled) != std::string::npos);
  }
  CHECK(forged > 0);
}
