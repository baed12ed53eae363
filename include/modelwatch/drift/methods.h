// The drift methods of statistics.md §3 as pure functions over reference and current bins.
// p = reference shares, q = current shares over the same bins; both of equal length.
#ifndef MODELWATCH_DRIFT_METHODS_H_
#define MODELWATCH_DRIFT_METHODS_H_

#include <cstdint>
#include <span>

#include <modelwatch/config/config.h>
#include <modelwatch/core/status.h>
#include <modelwatch/drift/binning.h>

namespace modelwatch::drift {

// Σ (q − p)·ln(q/p); zero shares replaced per Evidently (0.0001, or min/1e6 when that side's
// smallest non-zero share is <= 0.0001), no renormalisation. Every method returns NaN when p and
// q differ in length; PSI, KL and JS also when a side has no mass.
double Psi(std::span<const double> p, std::span<const double> q);
// Σ p·ln(p/q), same zero rule.
double Kl(std::span<const double> p, std::span<const double> q);
// √JSD (scipy.spatial.distance.jensenshannon): natural log when base <= 0, else log base `base`
// (e, 2); no zero filling; both sides renormalised.
double JensenShannon(std::span<const double> p, std::span<const double> q, double base);
// √(1 − Σ √(p·q)), 0 when rounding makes the sum exceed 1.
double Hellinger(std::span<const double> p, std::span<const double> q);
// max |p − q|
double Linf(std::span<const double> p, std::span<const double> q);

// The current window of a numeric feature, over the reference's fine bins.
struct FineCounts {
  std::span<const std::uint32_t> counts;  // size bins.fine_bin_count()
  double sum_below = 0;  // Σ of the values in fine bin 0 (below the reference min)
  double sum_above = 0;  // Σ of the values in the last fine bin (above the reference max)
};

// W1(reference, current) / max(σ_ref, 0.001). The reference is exact (its sorted values); inside
// each interior fine bin the current values are taken to be spread like the reference's values
// there (uniformly where the bin holds no reference value); the mass outside [min, max] is exact
// (from sum_below/sum_above). Exact when every current value is a reference value or lies outside
// [min, max]. O(reference values). NaN if either side is empty or counts has the wrong size.
double WassersteinNormed(const NumericReference& ref, const FineCounts& cur);
// The KS statistic D between the reference and the current values, taken at the fine-bin edges
// (both CDFs are exact there): never above the exact D. NaN as for WassersteinNormed.
double KsStatistic(const NumericReference& ref, const FineCounts& cur);

// Evidently's auto rule, resolved once from the reference (statistics.md §3): n_ref <= 1000:
// numeric with n_unique > 5 -> ks, 3..5 -> chisquare, <= 2 -> z; categorical -> chisquare, or z
// with <= 2 categories. n_ref > 1000: numeric with n_unique > 5 -> wasserstein, else
// jensenshannon. Never fails (the Result is kept for callers).
Result<config::DriftMethod> ResolveAuto(config::FeatureType type, std::int64_t n_ref,
                                        std::int64_t n_unique);

// Whether score s means drift for method m with threshold t: ks p <= t; chisquare and z p < t;
// the distances s >= t. A NaN score is never drift.
bool IsDrift(config::DriftMethod m, double score, double threshold);

}  // namespace modelwatch::drift

#endif  // MODELWATCH_DRIFT_METHODS_H_
