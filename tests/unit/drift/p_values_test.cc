// KS, chi-square and z p-values against scipy 1.10.1 (statistics.md §3: KS within 1e-3 of
// ks_2samp(method="asymp") at n·m/(n+m) >= 100, χ² and z within 1e-9). The ports are held
// tighter: measured against 6,300 random (d, n) points, n from 1 to 2·10^6, the largest
// |ours − scipy| of kstwo.sf and smirnov was 1.1e-12.
//
// The expected values were computed once with /usr/bin/python3:
//   import numpy as np
//   from scipy import stats
//   def sample(n, mult, shift, power):
//       return np.fmod(np.arange(n) * mult, 1.0) ** power + shift
//   for nr, nc, shift, power in [(150, 150, 0.1, 1), (300, 200, 0.05, 1), (1000, 5000, 0.03, 1),
//                                (800, 20000, 0.0, 2), (20000, 30000, 0.01, 1)]:
//       a = sample(nr, 0.6180339887498949, 0.0, 1)
//       b = sample(nc, 0.41421356237309515, shift, power)
//       r = stats.ks_2samp(a, b, method="asymp"); print(r.statistic, r.pvalue)
//   # chi-square: ref / cur counts below; bins where both are 0 dropped
//   keep = ref > 0; print(stats.chisquare(cur[keep], (ref / ref.sum())[keep] * cur.sum()).pvalue)
//   # z: Evidently's proportions_diff_z_stat_ind on 0/1 indicators; p = 2·norm.sf(|z|)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include <modelwatch/drift/binning.h>
#include <modelwatch/drift/methods.h>
#include <modelwatch/drift/p_values.h>

#include "unit/drift/current_sample.h"
#include "unit/drift/scipy_kstwo_table.h"

namespace modelwatch::drift {
namespace {

TEST(KolmogorovSf, MatchesScipyKstwoOnEveryBranch) {
  for (const testing::KsTwoCase& c : testing::kScipyKsTwo) {
    EXPECT_NEAR(KolmogorovSf(c.d, c.n), c.sf, 1e-11 + 1e-9 * c.sf) << "n=" << c.n << " d=" << c.d;
  }
}

TEST(KolmogorovSf, OutsideTheSupportIsOneOrZeroAndBadNIsNaN) {
  EXPECT_EQ(KolmogorovSf(0.0, 50), 1.0);
  EXPECT_EQ(KolmogorovSf(0.5 / 50, 50), 1.0);
  EXPECT_EQ(KolmogorovSf(1.0, 50), 0.0);
  EXPECT_TRUE(std::isnan(KolmogorovSf(0.3, 0)));
  EXPECT_TRUE(std::isnan(KolmogorovSf(std::nan(""), 10)));
}

std::vector<double> Sample(int n, double mult, double shift, int power) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double u = std::fmod(static_cast<double>(i) * mult, 1.0);
    v[static_cast<std::size_t>(i)] = (power == 2 ? u * u : u) + shift;
  }
  std::sort(v.begin(), v.end());
  return v;
}

// sup |F_a − F_b| over the merged sorted samples.
double ExactKs(const std::vector<double>& a, const std::vector<double>& b) {
  std::size_t i = 0, j = 0;
  double d = 0;
  while (i < a.size() || j < b.size()) {
    const double x = j == b.size() || (i < a.size() && a[i] < b[j]) ? a[i] : b[j];
    while (i < a.size() && a[i] == x) ++i;
    while (j < b.size() && b[j] == x) ++j;
    d = std::max(d,
                 std::fabs(static_cast<double>(i) / a.size() - static_cast<double>(j) / b.size()));
  }
  return d;
}

TEST(KsPValue, EqualsScipyKs2sampAsympOnTheSameSamples) {
  struct Case {
    int n_ref, n_cur;
    double shift;
    int power;
    double d, p;
  };
  const Case cases[] = {
      {150, 150, 0.1, 1, 0.1133333333333334, 0.2694519362228411},
      {300, 200, 0.05, 1, 0.053333333333333344, 0.8661515000141586},
      {1000, 5000, 0.03, 1, 0.031399999999999983, 0.376393790455012},
      {800, 20000, 0.0, 2, 0.25025, 6.413962744049426e-43},
      {20000, 30000, 0.01, 1, 0.010166666666666713, 0.16614696280535513},
  };
  for (const Case& c : cases) {
    const auto ref = Sample(c.n_ref, 0.6180339887498949, 0.0, 1);
    const auto cur = Sample(c.n_cur, 0.41421356237309515, c.shift, c.power);
    const double d = ExactKs(ref, cur);
    EXPECT_NEAR(d, c.d, 1e-12);
    EXPECT_NEAR(KsPValue(d, c.n_ref, c.n_cur), c.p, 1e-10 + 1e-9 * c.p)
        << c.n_ref << "/" << c.n_cur;
  }
}

// Below 2,048 reference values every reference value is a fine bin of its own, so the binned D
// is the exact two-sample D and the engine's p-value is scipy's on the raw samples.
TEST(KsPValue, FromFineBinsOfASmallReferenceEqualsScipyOnTheRawSamples) {
  const struct {
    int n_ref, n_cur;
    double shift;
    int power;
    double d, p;
  } cases[] = {{300, 200, 0.05, 1, 0.053333333333333344, 0.8661515000141586},
               {800, 20000, 0.0, 2, 0.25025, 6.413962744049426e-43}};
  for (const auto& c : cases) {
    const auto ref = Sample(c.n_ref, 0.6180339887498949, 0.0, 1);
    const auto cur = Sample(c.n_cur, 0.41421356237309515, c.shift, c.power);
    const NumericReference profile = BuildNumericReference(ref, config::BinKind::kQuantile, 10);
    const testing::CurrentSample binned(profile.bins, cur);
    const double d = KsStatistic(profile, binned.View());
    EXPECT_NEAR(d, c.d, 1e-12);
    EXPECT_NEAR(KsPValue(d, c.n_ref, c.n_cur), c.p, 1e-10 + 1e-9 * c.p);
  }
}

TEST(KsPValue, IsSymmetricInTheSampleSizes) {
  EXPECT_EQ(KsPValue(0.08, 300, 200), KsPValue(0.08, 200, 300));
}

TEST(KsPValue, RoundsTheEffectiveSizeHalfToEvenAsNumpy) {
  // 5·5/10 = 2.5 -> 2 and 3·3/6 = 1.5 -> 2 (np.round), not 3 and 2.
  EXPECT_EQ(KsPValue(0.7, 5, 5), KolmogorovSf(0.7, 2));
  EXPECT_EQ(KsPValue(0.7, 3, 3), KolmogorovSf(0.7, 2));
  EXPECT_EQ(KsPValue(0.7, 7, 7), KolmogorovSf(0.7, 4));  // 3.5 -> 4
}

TEST(KsPValue, NoSampleOrOneValueEachIsNaN) {
  EXPECT_TRUE(std::isnan(KsPValue(0.5, 0, 10)));
  EXPECT_TRUE(std::isnan(KsPValue(1.0, 1, 1)));  // 1·1/2 rounds to 0
}

std::vector<double> Shares(const std::vector<double>& counts) {
  double total = 0;
  for (double c : counts) total += c;
  std::vector<double> s;
  for (double c : counts) s.push_back(c / total);
  return s;
}

TEST(ChiSquarePValue, EqualsScipyChisquareOnTheSameCounts) {
  struct Case {
    std::vector<double> ref, cur;
    double p;
  };
  const Case cases[] = {
      {{50, 30, 20}, {40, 35, 25}, 0.12981217685543797},
      {{500, 300, 200, 0}, {400, 350, 250, 0}, 1.358796212996323e-09},  // empty bin dropped
      {{120, 80}, {60, 140}, 4.707140590140388e-18},
      {{700, 200, 90, 10}, {500, 300, 150, 50}, 2.830045418354936e-66},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(ChiSquarePValue(Shares(c.ref), c.cur), c.p, 1e-12 + 1e-9 * c.p);
  }
}

TEST(ChiSquarePValue, ACurrentValueTheReferenceNeverHadGivesZero) {
  EXPECT_EQ(ChiSquarePValue(Shares({60, 40, 0}), std::vector<double>{60, 39, 1}), 0.0);
}

TEST(ChiSquarePValue, OneBinLeftMeansAgreementAndBadInputIsNaN) {
  EXPECT_EQ(ChiSquarePValue(Shares({10, 0}), std::vector<double>{7, 0}), 1.0);
  EXPECT_TRUE(std::isnan(ChiSquarePValue(Shares({1, 1}), std::vector<double>{0, 0})));
  EXPECT_TRUE(std::isnan(ChiSquarePValue(Shares({1, 1}), std::vector<double>{1, 1, 1})));
}

TEST(ZPValue, EqualsEvidentlysTwoProportionZTest) {
  EXPECT_NEAR(ZPValue(300, 500, 320, 500), 0.19257687480088492, 1e-12);
  EXPECT_NEAR(ZPValue(300, 500, 150, 400), 1.9703444711799307e-11, 1e-20);
  EXPECT_NEAR(ZPValue(480, 500, 40, 60), 7.651391643670011e-17, 1e-25);
  EXPECT_NEAR(ZPValue(10, 1000, 100, 1000), 1.0718661311263612e-18, 1e-27);
}

TEST(ZPValue, DoesNotDependOnWhichOfTheTwoCategoriesIsCounted) {
  EXPECT_NEAR(ZPValue(300, 500, 150, 400), ZPValue(200, 500, 250, 400), 1e-24);
}

TEST(ZPValue, BothSamplesOneConstantIsOneAndEmptyIsNaN) {
  EXPECT_EQ(ZPValue(500, 500, 80, 80), 1.0);
  EXPECT_TRUE(std::isnan(ZPValue(0, 0, 3, 10)));
}

}  // namespace
}  // namespace modelwatch::drift
