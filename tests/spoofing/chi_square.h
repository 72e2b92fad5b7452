#pragma once
// Pearson's chi-square statistic against a uniform distribution, and the critical value it
// must stay below, for the spoofing-resistance test.

#include <cmath>
#include <cstdint>
#include <vector>

namespace mxsentry::test {

/// Sum over the bins of (observed - expected)^2 / expected, every bin expecting the same share.
inline double chi_square_uniform(const std::vector<std::uint64_t>& bins) {
  std::uint64_t total = 0;
  for (auto n : bins) total += n;
  const double expected = static_cast<double>(total) / static_cast<double>(bins.size());
  double sum = 0;
  for (auto n : bins) {
    const double d = static_cast<double>(n) - expected;
    sum += d * d / expected;
  }
  return sum;
}

/// The value a chi-square variable with `dof` degrees of freedom exceeds with probability p,
/// where z is the standard normal quantile of 1 - p (Wilson and Hilferty's cube-root
/// approximation, within 1% of the exact quantile for dof >= 30 far into the tail). For
/// p = 1e-6, z = 4.7534.
inline double chi_square_critical(double dof, double z) {
  const double a = 2.0 / (9.0 * dof);
  const double c = 1.0 - a + z * std::sqrt(a);
  return dof * c * c * c;
}

inline constexpr double z_one_in_a_million = 4.7534;

}  // namespace mxsentry::test
