// scipy.special.smirnov (scipy/special/cephes/kolmogorov.c, van Mulbregt 2018): the same cases,
// sums and early exit. scipy forms each term in double-double; here a term is formed in log space
// (double logs and exp, long double sums), which stays within ~1e-12 of scipy (p_values_test.cc).
//
//   P(D_n+ >= x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v)   (lower)
//                = 1 − x · Σ_{v=⌈n(1−x)⌉}^{n} (same terms, alternating in sign)         (upper)
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include <modelwatch/drift/p_values.h>

namespace modelwatch::drift {
namespace {

constexpr double kMinLog = -7.451332191019412076235e2;  // cephes MINLOG
constexpr std::int64_t kMaxComputeN = 1000000;          // SMIRNOV_MAX_COMPUTE_N
constexpr std::int64_t kUpperSumMinN = 10;              // SM_UPPERSUM_MIN_N
constexpr std::int64_t kUpperMaxTerms = 3;              // SM_UPPER_MAX_TERMS

// The terms A_v = C(n,v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v), with n·x = nxfl + alpha exactly:
// n·(x + v/n) = v + nxfl + alpha and n·(1 − x − v/n) = n − v − nxfl − alpha.
struct Terms {
  std::int64_t n;
  std::int64_t nxfl;
  long double alpha;

  // A_v given log C(n, v); 0 where 1 − x − v/n = 0.
  long double At(std::int64_t v, long double log_binom) const {
    const long double ln = static_cast<long double>(n);
    const long double a = (static_cast<long double>(v + nxfl) + alpha) / ln;
    const long double b = (static_cast<long double>(n - v - nxfl) - alpha) / ln;
    if (b == 0) return 0;
    const long double log_mag =
        log_binom + static_cast<long double>(v - 1) * std::log(static_cast<double>(a)) +
        static_cast<long double>(n - v) * std::log(std::fabs(static_cast<double>(b)));
    const long double mag = std::exp(static_cast<double>(log_mag));
    return b < 0 && (n - v) % 2 != 0 ? -mag : mag;
  }
  // log C(n, v + 1) − log C(n, v)
  long double LogBinomialStep(std::int64_t v) const {
    return std::log(static_cast<double>(n - v) / static_cast<double>(v + 1));
  }
};

// scipy's order: v = 0, 1, ... (lower) or v = n, n − 1, ... (upper), stopping once the terms
// left cannot matter. C(n, n − j) = C(n, j), so both directions step the binomial by j.
long double SumInOrder(const Terms& t, std::int64_t count, bool upper) {
  long double log_binom = 0;
  long double sum = 0;
  for (std::int64_t j = 0; j < count; ++j) {
    const long double term = t.At(upper ? t.n - j : j, log_binom);
    sum += term;
    if (term != 0) {
      if (4.0L * static_cast<long double>(count - j) * std::fabs(term) < DBL_EPSILON * sum &&
          j != count - 1) {
        break;
      }
    } else if (j > t.n / 2) {
      break;
    }
    log_binom += t.LogBinomialStep(j);
  }
  return sum;
}

// (1 + y)^m in long double.
long double Pow1p(long double y, std::int64_t m) {
  if (m == 0) return 1.0L;
  return std::exp(static_cast<long double>(m) * std::log1p(y));
}

}  // namespace

double SmirnovSf(std::int64_t n, double x) {
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (n == 1) return 1 - x;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;

  // n·x = nxfl + alpha exactly (scipy: modNX in double-double), 0 <= alpha < 1.
  const double nd = static_cast<double>(n);
  const double hi = nd * x;
  const double lo = std::fma(nd, x, -hi);
  double fl = std::floor(hi);
  long double alpha = static_cast<long double>(hi - fl) + lo;
  if (alpha < 0) {
    fl -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    fl += 1;
    alpha -= 1;
  }
  const auto nxfl = static_cast<std::int64_t>(fl);
  std::int64_t n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
  std::int64_t n1mxceil = n - nxfl;
  if (alpha == 0) {  // the term with 1 − x − v/n = 0 belongs to neither sum
    n1mxfl -= 1;
    n1mxceil += 1;
  }

  if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {  // x <= 1/n: cdf = x (1 + x)^(n−1)
    const long double cdf = x * Pow1p(x, n - 1);
    return static_cast<double>(1 - cdf);
  }
  if (-2 * nd * x * x < kMinLog) return 0;
  if (nxfl >= n - 1) return static_cast<double>(Pow1p(-static_cast<long double>(x), n));
  if (n > kMaxComputeN) {  // scipy's approximation p ≈ exp(−(6nx + 1)² / 18n)
    const double logp = -std::pow(6.0 * nd * x + 1, 2) / 18.0 / nd;
    return logp < -std::numbers::ln2 ? std::exp(logp) : 1 - (-std::expm1(logp));
  }

  const std::int64_t upper_terms = n - n1mxceil + 1;
  const bool use_upper =
      (upper_terms <= 1 && x < 0.5) ||
      (n >= kUpperSumMinN && upper_terms <= kUpperMaxTerms && x <= 0.5 / std::sqrt(nd));

  const Terms terms{n, nxfl, alpha};
  long double sum;
  if (use_upper) {
    sum = SumInOrder(terms, upper_terms, true);
  } else {
    sum = SumInOrder(terms, n1mxfl + 1, false);
  }
  const long double prob = x * sum;
  const double sf = static_cast<double>(use_upper ? 1 - prob : prob);
  return sf < 0 ? 0 : (sf > 1 ? 1 : sf);
}

}  // namespace modelwatch::drift
