// The bin-based drift scores, the auto rule and the drift decision (statistics.md §3).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include <modelwatch/drift/methods.h>

namespace modelwatch::drift {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEvidentlyZero = 0.0001;

// Evidently's replacement for a zero share on one side (get_binned_data): 0.0001, or the side's
// smallest non-zero share / 1e6 when that is <= 0.0001. NaN when the side has no mass at all.
double ZeroFill(std::span<const double> p) {
  double smallest = std::numeric_limits<double>::infinity();
  for (double x : p) {
    if (x != 0) smallest = std::min(smallest, x);
  }
  if (std::isinf(smallest)) return kNaN;
  return smallest <= kEvidentlyZero ? smallest / 1e6 : kEvidentlyZero;
}

double Sum(std::span<const double> p) {
  double s = 0;
  for (double x : p) s += x;
  return s;
}

// scipy.special.rel_entr
double RelEntr(double x, double y) {
  if (x > 0 && y > 0) return x * std::log(x / y);
  if (x == 0 && y >= 0) return 0;
  return std::numeric_limits<double>::infinity();
}

}  // namespace

// Σ term(p_i, q_i) with Evidently's zero fill on each side (PSI and KL share it).
template <typename Term>
double ZeroFilledSum(std::span<const double> p, std::span<const double> q, Term term) {
  if (p.size() != q.size()) return kNaN;
  const double p_zero = ZeroFill(p);
  const double q_zero = ZeroFill(q);
  double score = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    score += term(p[i] == 0 ? p_zero : p[i], q[i] == 0 ? q_zero : q[i]);
  }
  return score;
}

double Psi(std::span<const double> p, std::span<const double> q) {
  // Evidently's spelling of Σ (q − p)·ln(q/p).
  return ZeroFilledSum(p, q, [](double pi, double qi) { return (pi - qi) * std::log(pi / qi); });
}

double Kl(std::span<const double> p, std::span<const double> q) {
  return ZeroFilledSum(p, q, [](double pi, double qi) { return pi * std::log(pi / qi); });
}

double JensenShannon(std::span<const double> p, std::span<const double> q, double base) {
  if (p.size() != q.size()) return kNaN;
  const double sp = Sum(p);
  const double sq = Sum(q);
  if (!(sp > 0) || !(sq > 0)) return kNaN;
  double left = 0;
  double right = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double pi = p[i] / sp;
    const double qi = q[i] / sq;
    const double m = (pi + qi) / 2.0;
    left += RelEntr(pi, m);
    right += RelEntr(qi, m);
  }
  double js = left + right;
  if (base > 0) js /= std::log(base);
  return std::sqrt(js / 2.0);
}

double Hellinger(std::span<const double> p, std::span<const double> q) {
  if (p.size() != q.size()) return kNaN;
  double affinity = 0;
  for (std::size_t i = 0; i < p.size(); ++i) affinity += std::sqrt(p[i] * q[i]);
  return std::sqrt(std::max(0.0, 1.0 - affinity));
}

double Linf(std::span<const double> p, std::span<const double> q) {
  if (p.size() != q.size()) return kNaN;
  double score = 0;
  for (std::size_t i = 0; i < p.size(); ++i) score = std::max(score, std::fabs(p[i] - q[i]));
  return score;
}

Result<config::DriftMethod> ResolveAuto(config::FeatureType type, std::int64_t n_ref,
                                        std::int64_t n_unique) {
  const bool numeric = type == config::FeatureType::kNumeric;
  if (n_ref <= 1000) {
    if (numeric && n_unique > 5) return config::DriftMethod::kKs;
    return n_unique > 2 ? config::DriftMethod::kChiSquare : config::DriftMethod::kZ;
  }
  if (numeric && n_unique > 5) return config::DriftMethod::kWasserstein;
  return config::DriftMethod::kJensenShannon;
}

bool IsDrift(config::DriftMethod m, double score, double threshold) {
  switch (m) {
    case config::DriftMethod::kKs:
      return score <= threshold;
    case config::DriftMethod::kChiSquare:
    case config::DriftMethod::kZ:
      return score < threshold;
    default:
      return score >= threshold;
  }
}

}  // namespace modelwatch::drift
