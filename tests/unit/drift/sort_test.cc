// BuildNumericReference sorts its values with a radix sort above 2,048 values
// (numeric_reference.cc, SortFinite): the profile's sorted values must be std::sort's, for
// every sign, magnitude, duplicate, subnormal and zero, and the bins built on them the same.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <modelwatch/drift/binning.h>

namespace modelwatch::drift {
namespace {

std::vector<double> Mixed(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::lognormal_distribution<double> lognormal(3, 2);
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) {
    switch (rng() % 8) {
      case 0:
        v.push_back(normal(rng));
        break;
      case 1:
        v.push_back(-lognormal(rng));
        break;
      case 2:
        v.push_back(lognormal(rng) * 1e200);
        break;
      case 3:
        v.push_back(std::numeric_limits<double>::denorm_min() * static_cast<double>(rng() % 100));
        break;
      case 4:
        v.push_back(static_cast<double>(rng() % 5));  // ties
        break;
      case 5:
        v.push_back(rng() % 2 ? 0.0 : -0.0);
        break;
      case 6:
        v.push_back(-std::numeric_limits<double>::max() * (rng() % 2 ? 1 : 0.5));
        break;
      default:
        v.push_back(static_cast<double>(rng()) - 9e18);
    }
  }
  return v;
}

TEST(ReferenceSort, RadixSortedValuesEqualStdSort) {
  for (std::size_t n : {2047u, 2048u, 2049u, 50000u}) {
    std::vector<double> values = Mixed(n, n);
    std::vector<double> expected = values;
    std::sort(expected.begin(), expected.end());
    const NumericReference ref = BuildNumericReference(values, config::BinKind::kQuantile, 10);
    ASSERT_EQ(ref.sorted.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(ref.sorted[i], expected[i]) << n << " at " << i;
    EXPECT_TRUE(std::is_sorted(ref.sorted.begin(), ref.sorted.end()));
    EXPECT_EQ(ref.min, expected.front());
    EXPECT_EQ(ref.max, expected.back());
  }
}

TEST(ReferenceSort, OneSignAndNarrowRangesSkipPasses) {
  // Positive values in [1, 2): the exponent digits are shared, so whole passes are skipped.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(1, 2);
  std::vector<double> values(30000);
  for (double& x : values) x = u(rng);
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  const NumericReference ref = BuildNumericReference(values, config::BinKind::kQuantile, 10);
  EXPECT_EQ(ref.sorted, expected);
}

}  // namespace
}  // namespace modelwatch::drift
