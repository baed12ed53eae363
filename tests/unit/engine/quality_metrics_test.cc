#include <modelwatch/engine/quality_metrics.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace modelwatch::engine {
namespace {

struct Section {
  std::vector<std::vector<double>> rows;
  std::map<std::string, double> expected;
};

// testdata/quality_expected.txt, written by testdata/gen_quality_expected.py (scikit-learn 1.2.1).
std::map<std::string, Section> LoadExpected() {
  std::ifstream in(std::string(MODELWATCH_SOURCE_DIR) +
                   "/tests/unit/engine/testdata/quality_expected.txt");
  std::map<std::string, Section> out;
  std::string line;
  Section* cur = nullptr;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    if (line.rfind("section ", 0) == 0) {
      std::string word, name;
      ls >> word >> name;
      cur = &out[name];
    } else if (line.rfind("metric ", 0) == 0) {
      std::string word, name;
      double v = 0;
      ls >> word >> name >> v;
      cur->expected[name] = v;
    } else if (cur != nullptr) {
      std::vector<double> row;
      double v = 0;
      while (ls >> v) row.push_back(v);
      cur->rows.push_back(row);
    }
  }
  return out;
}

std::map<std::string, double> AsMap(const std::vector<QualityMetric>& v) {
  std::map<std::string, double> m;
  for (const QualityMetric& q : v) m[q.name] = q.value;
  return m;
}

void ExpectClose(const std::map<std::string, double>& expected,
                 const std::map<std::string, double>& got, double roc_tolerance) {
  for (const auto& [name, want] : expected) {
    ASSERT_TRUE(got.count(name)) << name;
    const double tol = name == "roc_auc" ? roc_tolerance : 1e-9 * std::max(1.0, std::fabs(want));
    EXPECT_NEAR(got.at(name), want, tol) << name;
  }
  EXPECT_EQ(got.size(), expected.size());
}

class QualityMetricsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { data_ = new std::map<std::string, Section>(LoadExpected()); }
  static std::map<std::string, Section>* data_;
};
std::map<std::string, Section>* QualityMetricsTest::data_ = nullptr;

TEST_F(QualityMetricsTest, BinaryEqualsScikitLearn) {
  const Section& s = data_->at("binary");
  ASSERT_EQ(s.rows.size(), 1500u);
  QualityShape shape{config::Task::kBinaryClassification, 2, 1, true, 0};
  // Rows spread over several buckets, merged as a window merges them.
  std::vector<QualityBucket> buckets(4, QualityBucket::Empty(shape));
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    const auto& r = s.rows[i];
    buckets[i % 4].AddClassification(shape, static_cast<int>(r[0]), static_cast<int>(r[1]), r[2]);
  }
  QualityBucket merged = QualityBucket::Empty(shape);
  for (const auto& b : buckets) b.AddTo(&merged);
  ExpectClose(s.expected, AsMap(RealisedMetrics(shape, merged)), 1e-3);
}

TEST_F(QualityMetricsTest, MulticlassMacroEqualsScikitLearnWithZeroDivision) {
  const Section& s = data_->at("multiclass");
  QualityShape shape{config::Task::kMulticlassClassification, 6, 0, false, 0};
  QualityBucket b = QualityBucket::Empty(shape);
  for (const auto& r : s.rows) {
    b.AddClassification(shape, static_cast<int>(r[0]), static_cast<int>(r[1]), std::nan(""));
  }
  // Class 5 is in the table but in neither column: it must not count in the macro average.
  ExpectClose(s.expected, AsMap(RealisedMetrics(shape, b)), 0);
}

TEST_F(QualityMetricsTest, RegressionEqualsScikitLearnMapeAsARatio) {
  const Section& s = data_->at("regression");
  QualityShape shape{config::Task::kRegression, 0, 0, false, 0};
  QualityBucket b = QualityBucket::Empty(shape);
  for (const auto& r : s.rows) b.AddRegression(r[0], r[1], -1);
  ExpectClose(s.expected, AsMap(RealisedMetrics(shape, b)), 0);
}

TEST(QualityMetricsEdgeTest, NoPositivesGivesZeroPrecisionAndNoAuc) {
  QualityShape shape{config::Task::kBinaryClassification, 2, 1, true, 0};
  QualityBucket b = QualityBucket::Empty(shape);
  for (int i = 0; i < 10; ++i) b.AddClassification(shape, 0, 0, 0.1);
  const auto m = AsMap(RealisedMetrics(shape, b));
  EXPECT_EQ(m.at("precision"), 0);
  EXPECT_EQ(m.at("recall"), 0);
  EXPECT_EQ(m.count("roc_auc"), 0u);
  EXPECT_EQ(m.at("accuracy"), 1);
}

TEST(QualityMetricsEdgeTest, ConstantTruthR2FollowsForceFinite) {
  QualityShape shape{config::Task::kRegression, 0, 0, false, 0};
  QualityBucket exact = QualityBucket::Empty(shape);
  QualityBucket off = QualityBucket::Empty(shape);
  for (int i = 0; i < 5; ++i) {
    exact.AddRegression(2, 2, -1);
    off.AddRegression(2, 3, -1);
  }
  EXPECT_EQ(AsMap(RealisedMetrics(shape, exact)).at("r2"), 1);
  EXPECT_EQ(AsMap(RealisedMetrics(shape, off)).at("r2"), 0);
}

TEST(IsotonicCalibratorTest, PoolsViolatorsAndInterpolatesLikeScikitLearn) {
  // sklearn: IsotonicRegression(out_of_bounds="clip").fit([1,2,3,4,5],[1,3,2,4,3.5])
  // thresholds X [1,2,3,4,5] -> y [1,2.5,2.5,3.75,3.75]; predict([0,2.5,4.5,9]) =
  // [1,2.5,3.75,3.75]; predict(1.5) = 1.75.
  IsotonicCalibrator c;
  c.Fit({{1, 1}, {2, 3}, {3, 2}, {4, 4}, {5, 3.5}});
  EXPECT_DOUBLE_EQ(c.Calibrate(0), 1);
  EXPECT_DOUBLE_EQ(c.Calibrate(1.5), 1.75);
  EXPECT_DOUBLE_EQ(c.Calibrate(2.5), 2.5);
  EXPECT_DOUBLE_EQ(c.Calibrate(4.5), 3.75);
  EXPECT_DOUBLE_EQ(c.Calibrate(9), 3.75);
}

// CBPE (statistics.md §5) on seeded data: a calibrated score (P(y=1 | s) = s), predicted
// positive at s >= 0.5. The reference calibrates; the window is scored without labels.
struct CbpeRun {
  double realised = 0;
  double estimated = 0;
};

CbpeRun RunCbpe(unsigned seed, double flip) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::pair<double, double>> reference;
  for (int i = 0; i < 20000; ++i) {
    const double s = u(rng);
    reference.push_back({s, u(rng) < s ? 1.0 : 0.0});
  }
  IsotonicCalibrator cal;
  cal.Fit(reference);
  QualityShape shape{config::Task::kBinaryClassification, 2, 1, true, 0};
  QualityBucket b = QualityBucket::Empty(shape);
  for (int i = 0; i < 5000; ++i) {
    const double s = u(rng);
    int y = u(rng) < s ? 1 : 0;
    // Concept drift: the labels stop agreeing with the scores; the inputs do not change.
    if (u(rng) < flip) y = 1 - y;
    const int predicted = s >= 0.5 ? 1 : 0;
    b.AddClassification(shape, y, predicted, s);
    b.AddEstimate(cal.Calibrate(s), predicted == 1);
  }
  return {AsMap(RealisedMetrics(shape, b)).at("accuracy"),
          AsMap(EstimatedMetrics(b)).at("accuracy")};
}

TEST(CbpeTest, EstimateIsWithinTwoPointsOfRealisedAccuracyOnCalibratedData) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const CbpeRun r = RunCbpe(seed, 0);
    EXPECT_NEAR(r.estimated, r.realised, 0.02) << "seed " << seed;
    EXPECT_NEAR(r.realised, 0.75, 0.03);
  }
}

TEST(CbpeTest, UnderConceptDriftRealisedFallsWhileTheEstimateDoesNot) {
  const CbpeRun before = RunCbpe(11, 0);
  const CbpeRun after = RunCbpe(11, 0.4);
  // Realised accuracy falls from ~0.75 to ~0.5; CBPE sees only scores, which did not move.
  EXPECT_LT(after.realised, before.realised - 0.15);
  EXPECT_NEAR(after.estimated, before.estimated, 0.02);
  EXPECT_GT(after.estimated - after.realised, 0.15) << "the gap CBPE cannot see";
  std::printf(
      "CBPE accuracy: before estimated %.4f realised %.4f; after estimated %.4f realised %.4f\n",
      before.estimated, before.realised, after.estimated, after.realised);
}

}  // namespace
}  // namespace modelwatch::engine
