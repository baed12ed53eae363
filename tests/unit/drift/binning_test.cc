#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <modelwatch/drift/binning.h>

namespace modelwatch::drift {
namespace {

using config::BinKind;

// Expected values come from numpy 1.24 on the same arrays (sorted), e.g.
//   a = np.sort(np.array([((i*7919) % 1009) * 0.37 + (i % 7) * 0.013 for i in range(1000)]))
//   np.quantile(a, i/10); np.histogram_bin_edges(a, bins=10 | 'sturges' | 'doane')
//   b = np.sort(np.array([((i*7919) % 1009)**2 / 1000.0 for i in range(n)]))
//   len(np.histogram_bin_edges(b, bins='sturges')) - 1; b.mean(); b.std()
std::vector<double> SeriesA(int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(((i * 7919) % 1009) * 0.37 + (i % 7) * 0.013);
  return v;
}
std::vector<double> SeriesB(int n) {  // right-skewed
  std::vector<double> v;
  for (long i = 0; i < n; ++i) {
    const long m = (i * 7919) % 1009;
    v.push_back(static_cast<double>(m * m) / 1000.0);
  }
  return v;
}

double Next(double v) { return std::nextafter(v, std::numeric_limits<double>::infinity()); }

// numpy's edges with the last one (the max) moved to next(max), so the last bin includes max.
void ExpectNumpyEdges(const NumericReference& ref, std::vector<double> numpy_edges) {
  numpy_edges.back() = Next(numpy_edges.back());
  EXPECT_EQ(ref.bins.coarse_edges, numpy_edges);
}

TEST(NumericBinning, QuantileEdgesEqualNumpyQuantiles) {
  ExpectNumpyEdges(BuildNumericReference(SeriesA(1000), BinKind::kQuantile, 10),
                   {0.0, 37.3473, 74.6946, 112.0289, 149.7332, 187.0675, 224.0578,
                    261.40509999999995, 298.7394, 335.6387, 372.986});
  ExpectNumpyEdges(BuildNumericReference(SeriesA(1000), BinKind::kQuantile, 7),
                   {0.0, 53.22999999999999, 106.75199999999998, 160.287, 213.504,
                    266.62999999999994, 319.85628571428566, 372.986});
}

TEST(NumericBinning, EqualWidthEdgesEqualNumpyLinspace) {
  ExpectNumpyEdges(BuildNumericReference(SeriesA(1000), BinKind::kEqualWidth, 10),
                   {0.0, 37.2986, 74.5972, 111.89580000000001, 149.1944, 186.493,
                    223.79160000000002, 261.0902, 298.3888, 335.6874, 372.986});
}

TEST(NumericBinning, SturgesAndDoaneEdgesEqualNumpy) {
  ExpectNumpyEdges(BuildNumericReference(SeriesA(1000), BinKind::kSturges, 10),
                   {0.0, 33.90781818181818, 67.81563636363636, 101.72345454545453,
                    135.63127272727272, 169.5390909090909, 203.44690909090906, 237.35472727272725,
                    271.26254545454543, 305.1703636363636, 339.0781818181818, 372.986});
  ExpectNumpyEdges(BuildNumericReference(SeriesA(1000), BinKind::kDoane, 10),
                   {0.0, 31.082166666666666, 62.16433333333333, 93.2465, 124.32866666666666,
                    155.41083333333333, 186.493, 217.57516666666666, 248.65733333333333, 279.7395,
                    310.82166666666666, 341.9038333333333, 372.986});
}

TEST(NumericBinning, SturgesAndDoaneBinCountsEqualNumpyAtEverySize) {
  struct Case {
    int n, sturges, doane;
    double mean, std;
  };
  for (const Case& c : {Case{50, 7, 9, 346.1478000000001, 302.997429770485},
                        Case{1000, 11, 15, 339.58999200000005, 303.4090494011343},
                        Case{5000, 14, 18, 338.99872999999997, 303.3703504160317},
                        Case{50000, 17, 23, 338.86805103999995, 303.25347050472476}}) {
    const auto sturges = BuildNumericReference(SeriesB(c.n), BinKind::kSturges, 10);
    const auto doane = BuildNumericReference(SeriesB(c.n), BinKind::kDoane, 10);
    EXPECT_EQ(sturges.bins.coarse_bin_count(), c.sturges + 2) << c.n;
    EXPECT_EQ(doane.bins.coarse_bin_count(), c.doane + 2) << c.n;
    EXPECT_DOUBLE_EQ(sturges.mean, c.mean);
    EXPECT_DOUBLE_EQ(sturges.std, c.std);
  }
}

TEST(NumericBinning, ProfileHasCountDistinctMinMax) {
  const auto ref = BuildNumericReference(SeriesA(1000), BinKind::kQuantile, 10);
  EXPECT_EQ(ref.count, 1000);
  EXPECT_EQ(ref.distinct, 1000);
  EXPECT_EQ(ref.min, 0.0);
  EXPECT_EQ(ref.max, 372.986);
  EXPECT_TRUE(std::is_sorted(ref.sorted.begin(), ref.sorted.end()));
  EXPECT_FALSE(ref.bins.discrete);
}

TEST(NumericBinning, CoarseNamesShowOpenOuterBinsAndClosedLastBin) {
  const auto ref = BuildNumericReference(SeriesA(1000), BinKind::kQuantile, 10);
  const auto& names = ref.bins.coarse_names;
  ASSERT_EQ(names.size(), 12u);
  EXPECT_EQ(names[0], "(-inf, 0)");
  EXPECT_EQ(names[1], "[0, 37.3473)");
  EXPECT_EQ(names[10], "[335.6387, 372.986]");
  EXPECT_EQ(names[11], "(372.986, +inf)");
}

TEST(NumericBinning, OpenOuterBinsCatchOutOfRangeValues) {
  const auto ref = BuildNumericReference(SeriesA(1000), BinKind::kQuantile, 10);
  const auto coarse = [&](double x) { return ref.bins.coarse_of_fine[ref.bins.FineBin(x)]; };
  EXPECT_EQ(coarse(-1e300), 0);
  EXPECT_EQ(coarse(std::nextafter(0.0, -1.0)), 0);
  EXPECT_EQ(coarse(0.0), 1);
  EXPECT_EQ(coarse(372.986), 10);
  EXPECT_EQ(coarse(Next(372.986)), 11);
  EXPECT_EQ(coarse(1e300), 11);
}

TEST(NumericBinning, QuantileSharesAreTenthsAndSumToOne) {
  const auto ref = BuildNumericReference(SeriesA(1000), BinKind::kQuantile, 10);
  const auto& s = ref.bins.coarse_ref_share;
  EXPECT_EQ(s.front(), 0.0);
  EXPECT_EQ(s.back(), 0.0);
  for (int j = 1; j <= 10; ++j) EXPECT_NEAR(s[j], 0.1, 0.0011) << j;
  EXPECT_NEAR(std::accumulate(s.begin(), s.end(), 0.0), 1.0, 1e-12);
}

TEST(NumericBinning, SharesSumToOneForEveryKind) {
  for (BinKind kind :
       {BinKind::kQuantile, BinKind::kEqualWidth, BinKind::kSturges, BinKind::kDoane}) {
    const auto s = BuildNumericReference(SeriesB(5000), kind, 10).bins.coarse_ref_share;
    EXPECT_NEAR(std::accumulate(s.begin(), s.end(), 0.0), 1.0, 1e-12);
  }
}

// Every fine bin lies inside exactly one coarse bin: binning a value through its fine bin gives
// the coarse bin found directly from the coarse edges.
TEST(NumericBinning, CoarseOfFineAgreesWithCoarseEdgesForEveryKind) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(0, 1);
  std::vector<double> values(20000);
  for (double& v : values) v = std::round(dist(rng) * 100) / 100;  // with ties
  for (BinKind kind :
       {BinKind::kQuantile, BinKind::kEqualWidth, BinKind::kSturges, BinKind::kDoane}) {
    const auto ref = BuildNumericReference(values, kind, 10);
    const auto& e = ref.bins.coarse_edges;
    ASSERT_EQ(ref.bins.coarse_of_fine.size(), ref.bins.fine_edges.size() + 1);
    for (double x : ref.bins.fine_edges) {
      for (double probe : {x, std::nextafter(x, -1e300)}) {
        const int direct =
            static_cast<int>(std::upper_bound(e.begin(), e.end(), probe) - e.begin());
        EXPECT_EQ(ref.bins.coarse_of_fine[ref.bins.FineBin(probe)], direct) << probe;
      }
    }
    EXPECT_TRUE(
        std::includes(ref.bins.fine_edges.begin(), ref.bins.fine_edges.end(), e.begin(), e.end()));
  }
}

TEST(NumericBinning, FineEdgesAreQuantilesPlusEqualWidthEdges) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> dist(0, 1);
  std::vector<double> values(50000);
  for (double& v : values) v = dist(rng);
  const auto ref = BuildNumericReference(values, BinKind::kQuantile, 10);
  EXPECT_GE(ref.bins.fine_bin_count(), NumericBinning::kFineBins);
  EXPECT_LE(ref.bins.fine_bin_count(),
            NumericBinning::kFineBins + NumericBinning::kWidthFineBins + 12);
  EXPECT_EQ(ref.bins.fine_edges.front(), ref.min);
  EXPECT_EQ(ref.bins.fine_edges.back(), Next(ref.max));
}

TEST(NumericBinning, HeavyTiesMergeEqualQuantileEdgesAndGetTheirOwnFineBin) {
  std::vector<double> values(600, 0.0);  // 60 % zeros
  for (int i = 1; i <= 400; ++i) values.push_back(i);
  const auto ref = BuildNumericReference(values, BinKind::kQuantile, 10);
  // numpy: np.quantile(v, [i/10 for i in range(11)]) = 0 (x6), 0.39999999999997726,
  // 100.29999999999995, 200.20000000000005, 300.1, 400
  EXPECT_EQ(ref.bins.coarse_edges, (std::vector<double>{0, 0.39999999999997726, 100.29999999999995,
                                                        200.20000000000005, 300.1, Next(400)}));
  const int zero_bin = ref.bins.FineBin(0.0);
  EXPECT_EQ(ref.bins.fine_edges[zero_bin - 1], 0.0);
  EXPECT_EQ(ref.bins.fine_edges[zero_bin], Next(0.0));
  EXPECT_DOUBLE_EQ(ref.bins.coarse_ref_share[1], 0.6);
}

TEST(NumericBinning, TwentyDistinctValuesAreDiscreteTwentyOneAreNot) {
  std::vector<double> values;
  for (int i = 0; i < 20; ++i) values.insert(values.end(), 3, i * 0.5);
  EXPECT_TRUE(BuildNumericReference(values, BinKind::kQuantile, 10).bins.discrete);
  values.push_back(100);
  EXPECT_FALSE(BuildNumericReference(values, BinKind::kQuantile, 10).bins.discrete);
}

TEST(NumericBinning, DiscreteHasOneBinPerValuePlusOther) {
  const auto ref = BuildNumericReference({3, 1, 2, 3, 2, 3}, BinKind::kQuantile, 10);
  const auto& b = ref.bins;
  EXPECT_EQ(b.coarse_names, (std::vector<std::string>{"1", "2", "3", "__other__"}));
  EXPECT_EQ(b.coarse_ref_share, (std::vector<double>{1.0 / 6, 2.0 / 6, 3.0 / 6, 0.0}));
  const auto coarse = [&](double x) { return b.coarse_of_fine[b.FineBin(x)]; };
  EXPECT_EQ(coarse(1.0), 0);
  EXPECT_EQ(coarse(2.0), 1);
  EXPECT_EQ(coarse(3.0), 2);
  for (double other : {0.0, 1.5, Next(2.0), std::nextafter(3.0, 0.0), Next(3.0), 99.0}) {
    EXPECT_EQ(coarse(other), 3) << other;
  }
}

TEST(NumericBinning, EmptyOrNonFiniteReferenceYieldsEmptyProfile) {
  const double inf = std::numeric_limits<double>::infinity();
  const auto ref = BuildNumericReference({std::nan(""), inf, -inf}, BinKind::kQuantile, 10);
  EXPECT_EQ(ref.count, 0);
  EXPECT_EQ(ref.bins.coarse_bin_count(), 0);
  EXPECT_EQ(BuildNumericReference({1, std::nan(""), 2}, BinKind::kQuantile, 10).count, 2);
}

#if !defined(__SANITIZE_ADDRESS__)
TEST(NumericBinning, BuildsFiftyThousandValuesInUnderTwentyMilliseconds) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> dist(0, 1);
  std::vector<double> values(50000);
  for (double& v : values) v = dist(rng);
  auto best = std::chrono::nanoseconds::max();
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto ref = BuildNumericReference(values, BinKind::kQuantile, 10);
    best = std::min(best, std::chrono::steady_clock::now() - start);
    ASSERT_EQ(ref.count, 50000);
  }
  EXPECT_LT(best, std::chrono::milliseconds(20));
}
#endif

TEST(CategoricalBinning, TopCategoriesByCountThenByteOrderThenOther) {
  const auto ref = BuildCategoricalReference(
      {"c", "a", "b", "a", "d", "c", "a", "b", "e", "a", "b", "c", "a"}, 2);
  EXPECT_EQ(ref.count, 13);
  EXPECT_EQ(ref.categories, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ref.coarse_ref_share, (std::vector<double>{5.0 / 13, 3.0 / 13, 5.0 / 13}));
}

TEST(CategoricalBinning, RareAndUnseenGoToOtherButOnlyUnseenIsNotSeen) {
  const auto ref = BuildCategoricalReference({"x", "x", "y", "z"}, 1);
  EXPECT_EQ(ref.Bin(std::string_view("x")), 0);
  EXPECT_EQ(ref.Bin("y"), 1);
  EXPECT_EQ(ref.Bin("never"), 1);
  EXPECT_TRUE(ref.Seen("y"));
  EXPECT_FALSE(ref.Seen("never"));
}

TEST(CategoricalBinning, EmptyReferenceHasOnlyOther) {
  const auto ref = BuildCategoricalReference({}, 50);
  EXPECT_EQ(ref.coarse_ref_share, std::vector<double>{0.0});
  EXPECT_EQ(ref.Bin("a"), 0);
  EXPECT_FALSE(ref.Seen("a"));
}

}  // namespace
}  // namespace modelwatch::drift

namespace modelwatch::drift {
namespace {

TEST(FineBinTest, AgreesWithUpperBoundOnSkewedReferences) {
  std::mt19937 rng(5);
  std::lognormal_distribution<double> ln(0, 2);
  std::vector<double> v(50000);
  for (double& x : v) x = ln(rng);
  NumericReference ref = BuildNumericReference(v, config::BinKind::kQuantile, 10);
  ASSERT_FALSE(ref.bins.index.empty());
  const auto& e = ref.bins.fine_edges;
  for (int i = 0; i < 200000; ++i) {
    const double x = ln(rng) * (i % 3 == 0 ? 3 : 1);
    ASSERT_EQ(ref.bins.FineBin(x), std::upper_bound(e.begin(), e.end(), x) - e.begin()) << x;
  }
}

TEST(FineBinTest, AgreesWithUpperBoundEverywhere) {
  std::mt19937 rng(3);
  for (int size : {0, 1, 2, 3, 7, 64, 2311}) {
    NumericBinning b;
    std::uniform_real_distribution<double> u(-100, 100);
    for (int i = 0; i < size; ++i) b.fine_edges.push_back(std::round(u(rng)));
    std::sort(b.fine_edges.begin(), b.fine_edges.end());
    b.fine_edges.erase(std::unique(b.fine_edges.begin(), b.fine_edges.end()), b.fine_edges.end());
    std::vector<double> probes = b.fine_edges;
    for (int i = 0; i < 1000; ++i) probes.push_back(u(rng) * 1.2);
    for (double e : b.fine_edges) probes.push_back(std::nextafter(e, -1e300));
    probes.push_back(std::numeric_limits<double>::infinity());
    probes.push_back(-std::numeric_limits<double>::infinity());
    for (bool indexed : {false, true}) {
      if (indexed) b.BuildIndex();
      for (double x : probes) {
        const auto want =
            std::upper_bound(b.fine_edges.begin(), b.fine_edges.end(), x) - b.fine_edges.begin();
        ASSERT_EQ(b.FineBin(x), want) << "size " << size << " x " << x << " indexed " << indexed;
      }
    }
  }
}

// FineBin is upper_bound over the fine edges, whichever way it gets there (the branch-free
// count of a cell's few edges, or the binary search of a crowded cell): every edge, its
// neighbours, the range's ends and random values, for heavy-tailed, integer (atoms) and narrow
// data.
TEST(NumericBinning, FineBinIsUpperBoundOverTheEdges) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::mt19937_64 rng(21);
  std::lognormal_distribution<double> heavy(3, 2.5);
  std::poisson_distribution<int> counts(4);
  std::normal_distribution<double> narrow(0, 1e-9);
  for (int kind = 0; kind < 3; ++kind) {
    std::vector<double> values(20000);
    for (double& v : values) {
      v = kind == 0 ? heavy(rng) : kind == 1 ? static_cast<double>(counts(rng)) * 100 : narrow(rng);
    }
    for (int extra = 0; extra < 50; ++extra) values.push_back(static_cast<double>(extra) * 1e5);
    const NumericReference ref = BuildNumericReference(values, config::BinKind::kQuantile, 10);
    const std::vector<double>& e = ref.bins.fine_edges;
    std::vector<double> probes = values;
    for (double edge : e) {
      probes.push_back(edge);
      probes.push_back(std::nextafter(edge, -kInf));
      probes.push_back(std::nextafter(edge, kInf));
    }
    probes.push_back(-kInf);
    probes.push_back(kInf);
    probes.push_back(-1e300);
    probes.push_back(1e300);
    for (double x : probes) {
      const auto want = static_cast<int>(std::upper_bound(e.begin(), e.end(), x) - e.begin());
      ASSERT_EQ(ref.bins.FineBin(x), want) << "kind " << kind << " x " << x;
    }
  }
}

}  // namespace
}  // namespace modelwatch::drift
