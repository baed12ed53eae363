// KS (asymptotic two-sample), chi-square and z p-values (statistics.md §3).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

#include <modelwatch/drift/p_values.h>

namespace modelwatch::drift {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Errors become NaN / the limits instead of exceptions (the data path never throws).
using NoThrowPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

// np.round: to the nearest integer, halves to even.
double RoundHalfEven(double x) {
  const double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5) return 2.0 * std::round(x / 2.0);
  return r;
}

}  // namespace

double KsPValue(double d, std::int64_t n_ref, std::int64_t n_cur) {
  if (n_ref < 1 || n_cur < 1 || std::isnan(d)) return kNaN;
  const double m = static_cast<double>(std::max(n_ref, n_cur));
  const double n = static_cast<double>(std::min(n_ref, n_cur));
  const double en = RoundHalfEven(m * n / (m + n));
  if (en < 1) return kNaN;
  const double p = KolmogorovSf(d, static_cast<std::int64_t>(en));
  return std::isnan(p) ? p : std::clamp(p, 0.0, 1.0);
}

double ChiSquarePValue(std::span<const double> ref_shares, std::span<const double> cur_counts) {
  if (ref_shares.size() != cur_counts.size()) return kNaN;
  double n_cur = 0;
  for (double c : cur_counts) n_cur += c;
  if (!(n_cur > 0)) return kNaN;
  double stat = 0;
  int kept = 0;
  for (std::size_t i = 0; i < ref_shares.size(); ++i) {
    const double expected = ref_shares[i] * n_cur;
    const double observed = cur_counts[i];
    if (expected == 0) {
      if (observed == 0) continue;
      return 0.0;  // infinite statistic
    }
    ++kept;
    const double diff = observed - expected;
    stat += diff * diff / expected;
  }
  if (kept <= 1) return 1.0;
  const boost::math::chi_squared_distribution<double, NoThrowPolicy> chi2(kept - 1);
  return boost::math::cdf(boost::math::complement(chi2, stat));
}

double ZPValue(std::int64_t ref_hits, std::int64_t ref_total, std::int64_t cur_hits,
               std::int64_t cur_total) {
  if (ref_total < 1 || cur_total < 1) return kNaN;
  const double n1 = static_cast<double>(ref_total);
  const double n2 = static_cast<double>(cur_total);
  const double p1 = static_cast<double>(ref_hits) / n1;
  const double p2 = static_cast<double>(cur_hits) / n2;
  const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const double var = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
  if (!(var > 0)) return 1.0;
  const double z = (p1 - p2) / std::sqrt(var);
  const boost::math::normal_distribution<double, NoThrowPolicy> normal;
  return 2 * boost::math::cdf(boost::math::complement(normal, std::fabs(z)));
}

}  // namespace modelwatch::drift
