#include <modelwatch/stats/relative_sketch.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace modelwatch::stats {
namespace {

// numpy.quantile(values, q, method="lower").
double ExactLower(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::floor(q * static_cast<double>(values.size() - 1)));
  return values[rank];
}

std::vector<std::uint32_t> Counts(const RelativeSketch& s, const std::vector<double>& values) {
  std::vector<std::uint32_t> counts(s.size(), 0);
  for (double v : values) ++counts[s.Slot(v)];
  return counts;
}

void ExpectWithinOnePercent(const std::vector<double>& values) {
  RelativeSketch s;
  const auto counts = Counts(s, values);
  for (double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const double exact = ExactLower(values, q);
    const double got = s.Quantile(counts, q);
    EXPECT_LE(std::fabs(got - exact), 0.01 * exact) << "q=" << q << " exact=" << exact;
  }
}

TEST(RelativeSketchTest, EverySlotValueIsWithinAlphaOfItsValues) {
  RelativeSketch s;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> exponent(std::log(RelativeSketch::kMinValue),
                                                  std::log(RelativeSketch::kMaxValue));
  double worst = 0;
  for (int i = 0; i < 200000; ++i) {
    const double v = std::exp(exponent(rng));
    worst = std::max(worst, std::fabs(s.Value(s.Slot(v)) - v) / v);
  }
  EXPECT_LE(worst, RelativeSketch::kRelativeAccuracy * (1 + 1e-9));
  EXPECT_GT(worst, RelativeSketch::kRelativeAccuracy * 0.9);  // the bound is tight, not loose
}

TEST(RelativeSketchTest, SeededLognormalLatenciesWithinOnePercentOfLowerRank) {
  for (std::uint64_t seed : {1, 2, 3}) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> d(std::log(0.05), 1.0);  // median 50 ms
    std::vector<double> v(20000);
    for (double& x : v) x = d(rng);
    ExpectWithinOnePercent(v);
  }
}

TEST(RelativeSketchTest, SeededParetoLatenciesWithinOnePercentOfLowerRank) {
  for (std::uint64_t seed : {4, 5, 6}) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<double> v(20000);
    for (double& x : v) x = 0.01 / std::pow(1 - u(rng), 1 / 1.2);  // x_m 10 ms, α 1.2
    ExpectWithinOnePercent(v);
  }
}

TEST(RelativeSketchTest, SmallSamplesUseTheLowerRank) {
  RelativeSketch s;
  // numpy: quantile([1, 2, 3, 4], 0.5, method="lower") == 2; 0.99 -> 3.
  const auto counts = Counts(s, {0.004, 0.001, 0.003, 0.002});
  EXPECT_NEAR(s.Quantile(counts, 0.5), 0.002, 0.002 * 0.005);
  EXPECT_NEAR(s.Quantile(counts, 0.99), 0.003, 0.003 * 0.005);
  EXPECT_NEAR(s.Quantile(counts, 1.0), 0.004, 0.004 * 0.005);
}

TEST(RelativeSketchTest, ValuesOutsideTheRangeAreClampedAndDocumented) {
  RelativeSketch s;
  EXPECT_EQ(s.Slot(0), 0u);
  EXPECT_EQ(s.Value(s.Slot(0)), 0);
  EXPECT_EQ(s.Slot(5e-7), 0u);
  EXPECT_EQ(s.Slot(1e9), s.size() - 1);
  EXPECT_EQ(s.Value(s.size() - 1), RelativeSketch::kMaxValue);
  EXPECT_NEAR(s.Value(s.Slot(RelativeSketch::kMinValue)), 1e-6, 1e-6 * 0.005);
  EXPECT_NEAR(s.Value(s.Slot(RelativeSketch::kMaxValue)), 1e5, 1e5 * 0.005);
}

TEST(RelativeSketchTest, MergingIsAddingCounts) {
  RelativeSketch s;
  std::mt19937_64 rng(9);
  std::lognormal_distribution<double> d(-3, 1.5);
  std::vector<double> a(5000), b(7000);
  for (double& x : a) x = d(rng);
  for (double& x : b) x = 3 * d(rng);
  auto ca = Counts(s, a);
  const auto cb = Counts(s, b);
  for (std::size_t i = 0; i < ca.size(); ++i) ca[i] += cb[i];
  std::vector<double> all = a;
  all.insert(all.end(), b.begin(), b.end());
  for (double q : {0.5, 0.9, 0.95, 0.99}) {
    const double exact = ExactLower(all, q);
    EXPECT_LE(std::fabs(s.Quantile(ca, q) - exact), 0.01 * exact);
  }
}

}  // namespace
}  // namespace modelwatch::stats
