#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include <modelwatch/drift/methods.h>

#include "unit/drift/current_sample.h"

namespace modelwatch::drift {
namespace {

using testing::CurrentSample;
using V = std::vector<double>;

// Expected values from Evidently's zero rule and scipy 1.10 (numpy 1.24):
//   def fill(x):
//       x = np.array(x, dtype=float); m = min(x[x != 0])
//       np.place(x, x == 0, m / 10**6 if m <= 0.0001 else 0.0001); return x
//   psi = np.sum((fill(p) - fill(q)) * np.log(fill(p) / fill(q)))
//   kl = np.sum(fill(p) * np.log(fill(p) / fill(q)))
//   distance.jensenshannon(p, q), distance.jensenshannon(p, q, base=2)

TEST(Psi, ZeroSharesBecomeOneInTenThousand) {
  EXPECT_NEAR(Psi(V{0.5, 0.5, 0.0}, V{0.4, 0.3, 0.3}), 2.525589113422928, 1e-12);
  EXPECT_NEAR(Kl(V{0.5, 0.5, 0.0}, V{0.4, 0.3, 0.3}), 0.3661839507833352, 1e-12);
}

TEST(Psi, ZeroSharesBecomeMinOverMillionWhenTheSideHasATinyShare) {
  EXPECT_NEAR(Psi(V{0.99995, 0.00005, 0.0}, V{0.5, 0.25, 0.25}), 8.058562309218967, 1e-12);
  EXPECT_NEAR(Kl(V{0.99995, 0.00005, 0.0}, V{0.5, 0.25, 0.25}), 0.6926366636747322, 1e-12);
}

TEST(Psi, ZeroRuleAppliesToEachSideSeparately) {
  EXPECT_NEAR(Psi(V{0.25, 0.25, 0.5}, V{0.0, 0.00002, 0.99998}), 8.516980658629183, 1e-12);
  EXPECT_NEAR(Kl(V{0.25, 0.25, 0.5}, V{0.0, 0.00002, 0.99998}), 7.824056010956293, 1e-12);
}

TEST(JensenShannon, MatchesScipyInBaseEAndTwo) {
  EXPECT_NEAR(JensenShannon(V{0.1, 0.2, 0.7}, V{0.3, 0.3, 0.4}, 0), 0.2278426194505835, 1e-12);
  EXPECT_NEAR(JensenShannon(V{0.1, 0.2, 0.7}, V{0.3, 0.3, 0.4}, M_E), 0.2278426194505835, 1e-12);
  EXPECT_NEAR(JensenShannon(V{0.1, 0.2, 0.7}, V{0.3, 0.3, 0.4}, 2), 0.27366687589869926, 1e-12);
}

TEST(JensenShannon, HandlesZeroSharesWithoutFilling) {
  EXPECT_NEAR(JensenShannon(V{0.5, 0.5, 0}, V{0.2, 0.3, 0.5}, 0), 0.4681105951502406, 1e-12);
  EXPECT_NEAR(JensenShannon(V{0.5, 0.5, 0}, V{0.2, 0.3, 0.5}, 2), 0.5622581256253156, 1e-12);
}

TEST(JensenShannon, RenormalisesCounts) {
  EXPECT_NEAR(JensenShannon(V{10, 20, 70}, V{3, 3, 4}, 0), 0.2278426194505835, 1e-12);
}

TEST(JensenShannon, DisjointDistributionsReachTheMaximum) {
  EXPECT_NEAR(JensenShannon(V{1, 0}, V{0, 1}, 0), std::sqrt(std::log(2.0)), 1e-12);
  EXPECT_NEAR(JensenShannon(V{1, 0}, V{0, 1}, 2), 1.0, 1e-12);
}

TEST(Hellinger, IsRootOfOneMinusBhattacharyyaCoefficient) {
  // np.sqrt(1 - np.sum(np.sqrt(p * q)))
  EXPECT_NEAR(Hellinger(V{0.1, 0.2, 0.7}, V{0.3, 0.3, 0.4}), 0.22955540235829, 1e-12);
  EXPECT_NEAR(Hellinger(V{1, 0}, V{0, 1}), 1.0, 1e-12);
}

TEST(Linf, IsLargestShareDifference) {
  EXPECT_DOUBLE_EQ(Linf(V{0.1, 0.2, 0.7}, V{0.3, 0.3, 0.4}), 0.3);
}

TEST(Methods, IdenticalDistributionsScoreZero) {
  const V p{0.1, 0.0, 0.25, 0.65};
  EXPECT_EQ(Psi(p, p), 0.0);
  EXPECT_EQ(Kl(p, p), 0.0);
  EXPECT_EQ(JensenShannon(p, p, 0), 0.0);
  EXPECT_NEAR(Hellinger(p, p), 0.0, 1e-7);  // √(rounding of 1 − Σp)
  EXPECT_EQ(Linf(p, p), 0.0);
}

TEST(Methods, MismatchedLengthsOrEmptySideGiveNaN) {
  EXPECT_TRUE(std::isnan(Psi(V{1}, V{0.5, 0.5})));
  EXPECT_TRUE(std::isnan(JensenShannon(V{1, 0}, V{0, 0}, 0)));
  EXPECT_TRUE(std::isnan(Psi(V{1, 0}, V{0, 0})));
}

// Exact on these: the current values are reference values or lie outside the reference range.
//   ref = np.array([1, 2, 2, 3, 5, 8, 8, 8.]); cur = np.array([2, 3, 3, 8, 0.5, 10, 11.25, -1])
//   stats.wasserstein_distance(ref, cur) / np.std(ref); stats.ks_2samp(ref, cur).statistic
TEST(FineDistances, MatchScipyOnADiscreteReference) {
  const auto ref = BuildNumericReference({1, 2, 2, 3, 5, 8, 8, 8}, config::BinKind::kQuantile, 10);
  const CurrentSample cur(ref.bins, V{2, 3, 3, 8, 0.5, 10, 11.25, -1});
  EXPECT_NEAR(WassersteinNormed(ref, cur.View()), 0.4755520018440945, 1e-12);
  EXPECT_NEAR(KsStatistic(ref, cur.View()), 0.25, 1e-12);
}

//   ref2 = np.array([0.5 * i + (i % 3) * 0.01 for i in range(30)])
//   cur2 = np.array([ref2[3], ref2[3], ref2[10], ref2[29], ref2[0], -2.0, 20.0, 30.5, ref2[17]])
TEST(FineDistances, MatchScipyOnASmallContinuousReference) {
  V ref_values;
  for (int i = 0; i < 30; ++i) ref_values.push_back(0.5 * i + (i % 3) * 0.01);
  const auto ref = BuildNumericReference(ref_values, config::BinKind::kQuantile, 10);
  const V& r = ref_values;
  const CurrentSample cur(ref.bins, V{r[3], r[3], r[10], r[29], r[0], -2.0, 20.0, 30.5, r[17]});
  EXPECT_NEAR(WassersteinNormed(ref, cur.View()), 1.0875210516851597, 1e-12);
  EXPECT_NEAR(KsStatistic(ref, cur.View()), 0.3111111111111111, 1e-12);
}

TEST(FineDistances, SameSampleScoresZero) {
  const V values{1.5, 2, 2, 3, 5, 8, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};
  const auto ref = BuildNumericReference(values, config::BinKind::kQuantile, 10);
  const CurrentSample cur(ref.bins, values);
  EXPECT_NEAR(WassersteinNormed(ref, cur.View()), 0.0, 1e-15);
  EXPECT_NEAR(KsStatistic(ref, cur.View()), 0.0, 1e-15);
}

TEST(FineDistances, EmptySideOrWrongBinCountGivesNaN) {
  const auto ref = BuildNumericReference({1, 2, 3}, config::BinKind::kQuantile, 10);
  const CurrentSample none(ref.bins, V{});
  EXPECT_TRUE(std::isnan(WassersteinNormed(ref, none.View())));
  EXPECT_TRUE(std::isnan(KsStatistic(ref, none.View())));
  const auto empty = BuildNumericReference({}, config::BinKind::kQuantile, 10);
  const std::vector<std::uint32_t> one{1};
  EXPECT_TRUE(std::isnan(WassersteinNormed(empty, FineCounts{one})));
  EXPECT_TRUE(std::isnan(KsStatistic(ref, FineCounts{one})));
}

TEST(FineDistances, ConstantReferenceNormsByOneThousandth) {
  const auto ref = BuildNumericReference({4, 4, 4, 4}, config::BinKind::kQuantile, 10);
  const CurrentSample cur(ref.bins, V{4, 4, 5, 5});  // W1 = 0.5
  EXPECT_NEAR(WassersteinNormed(ref, cur.View()), 500.0, 1e-9);
  EXPECT_DOUBLE_EQ(KsStatistic(ref, cur.View()), 0.5);
}

}  // namespace
}  // namespace modelwatch::drift
