#include "tests/tools/farm_mix.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mxsentry::farm {

namespace {

constexpr std::array<std::string_view, behaviour_count> names{
    "honest", "poisoned", "cdn", "geo", "slow", "lossy", "servfail", "refused", "silent", "ratelimit"};

constexpr double tolerance = 1e-9;

double parse_fraction(std::string_view name, std::string_view text) {
  auto bad = [&](const char* why) {
    return std::invalid_argument("--mix: " + std::string(name) + "=" + std::string(text) + ": " + why);
  };
  double value = 0;
  // from_chars accepts "nan" and "inf": those are refused below, with the negative ones.
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) throw bad("not a number");
  if (!std::isfinite(value)) throw bad("not a finite number");
  if (value < 0 || value > 1) throw bad("not between 0 and 1");
  return value;
}

}  // namespace

std::string_view behaviour_name(Behaviour b) { return names[static_cast<std::size_t>(b)]; }

std::optional<Behaviour> behaviour_from_name(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Behaviour>(i);
  return std::nullopt;
}

Mix parse_mix(std::string_view text) {
  Mix mix;
  std::array<bool, behaviour_count> given{};
  if (text.empty()) throw std::invalid_argument("--mix: empty");
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (comma != std::string_view::npos && text.empty()) throw std::invalid_argument("--mix: trailing comma");
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) throw std::invalid_argument("--mix: '" + std::string(item) + "' is not NAME=FRACTION");
    const std::string_view name = item.substr(0, eq);
    const auto behaviour = behaviour_from_name(name);
    if (!behaviour) throw std::invalid_argument("--mix: unknown behaviour '" + std::string(name) + "'");
    const auto index = static_cast<std::size_t>(*behaviour);
    if (given[index]) throw std::invalid_argument("--mix: " + std::string(name) + " given twice");
    given[index] = true;
    mix.share[index] = parse_fraction(name, item.substr(eq + 1));
  }
  double sum = 0;
  for (double s : mix.share) sum += s;
  const auto honest = static_cast<std::size_t>(Behaviour::honest);
  if (sum > 1 + tolerance) {
    char total[32];
    std::snprintf(total, sizeof total, "%.6g", sum);
    throw std::invalid_argument(std::string("--mix: the fractions sum to ") + total + ", more than 1");
  }
  if (!given[honest]) {
    mix.share[honest] = std::max(0.0, 1 - sum);
  } else if (sum < 1 - tolerance) {
    char total[32];
    std::snprintf(total, sizeof total, "%.6g", sum);
    throw std::invalid_argument(std::string("--mix: the fractions sum to ") + total +
                                ", not 1 (leave honest out to give it the rest)");
  }
  return mix;
}

std::string to_string(const Mix& mix) {
  std::string out;
  for (std::size_t i = 0; i < behaviour_count; ++i) {
    if (mix.share[i] == 0) continue;
    char value[32];
    std::snprintf(value, sizeof value, "%.6g", mix.share[i]);
    if (!out.empty()) out += ',';
    out += std::string(names[i]) + "=" + value;
  }
  return out;
}

}  // namespace mxsentry::farm
