// The p-values of the small-sample drift tests (statistics.md §3): KS, chi-square and z, each
// defined as the scipy computation Evidently runs, on the counts our bins give.
#ifndef MODELWATCH_DRIFT_P_VALUES_H_
#define MODELWATCH_DRIFT_P_VALUES_H_

#include <cstdint>
#include <span>

namespace modelwatch::drift {

// scipy.stats.kstwo.sf(d, n): P(D_n >= d) for the two-sided one-sample KS statistic D_n, by
// scipy's own choice of method (_ksstats._kolmogn, Simard & L'Ecuyer 2011): Ruben-Gambino at the
// ends, 2·smirnov(n, d) for d >= 0.5 or large n·d², the Durbin matrix (Marsaglia-Tsang-Wang),
// Pomeranz's recursion, or Pelz-Good. 1 for d <= 0.5/n, 0 for d >= 1; NaN for n < 1 or NaN d.
double KolmogorovSf(double d, std::int64_t n);

// scipy.special.smirnov(n, d): P(D_n+ >= d) for the one-sided statistic (Birnbaum-Tingey sum,
// or scipy's closed forms and its approximation above n = 10^6).
double SmirnovSf(std::int64_t n, double d);

// scipy.stats.ks_2samp(..., method="asymp") two-sided p-value at statistic d: with m >= n the
// two sample sizes, en = m·n/(m + n), p = kstwo.sf(d, round(en)) (round half to even, as
// np.round), clipped to [0, 1]. NaN when a size is < 1 or round(en) is 0 (both sizes 1).
double KsPValue(double d, std::int64_t n_ref, std::int64_t n_cur);

// Evidently's chisquare test: scipy.stats.chisquare(f_obs = cur_counts, f_exp = ref_shares ·
// Σ cur_counts).pvalue, the χ² survival function with (bins kept − 1) degrees of freedom.
// A bin with expected 0 and observed 0 is dropped (Evidently never has one: its bins are the
// values seen); expected 0 with observed > 0 makes the statistic infinite, p = 0 (as scipy and
// Evidently: a value the reference never had). One bin kept: the samples agree, p = 1 (scipy:
// NaN, 0 degrees of freedom). NaN when the sizes differ or no current count.
double ChiSquarePValue(std::span<const double> ref_shares, std::span<const double> cur_counts);

// Evidently's z test: two-proportion z-test, two-sided, of the share of one category (the
// caller's choice: the engine uses the first drift bin) in the reference (ref_hits of ref_total)
// against the current window (cur_hits of cur_total): pooled P = (ref_hits + cur_hits) /
// (ref_total + cur_total), z = (p1 − p2) / √(P(1 − P)(1/n1 + 1/n2)), p = 2·(1 − Φ(|z|))
// (computed as 2·Φc(|z|)). Which of two categories is counted does not change p. P(1 − P) = 0
// (every value of both samples on one side): p = 1, Evidently's rule for equal constants.
// NaN when a total is < 1.
double ZPValue(std::int64_t ref_hits, std::int64_t ref_total, std::int64_t cur_hits,
               std::int64_t cur_total);

}  // namespace modelwatch::drift

#endif  // MODELWATCH_DRIFT_P_VALUES_H_
