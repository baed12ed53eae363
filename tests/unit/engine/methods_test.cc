// The small-sample methods in the engine: auto resolves ks / chisquare / z from a reference of
// <= 1000 rows, each scores a p-value, and each detects a shifted window.
#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "testing/model_config.h"

#include <modelwatch/drift/p_values.h>
#include <modelwatch/engine/model_engine.h>

namespace modelwatch::engine {
namespace {

using config::DriftMethod;
using config::FeatureType;

using testing::Field;

constexpr const char* kColors[] = {"red", "green", "blue", "gray"};
constexpr const char* kAnswers[] = {"yes", "no"};

// Features: x numeric (continuous), k numeric with the values 0, 1, 2, c categorical with 4
// values, b categorical with 2 values.
class MethodsTest : public ::testing::Test {
 protected:
  MethodsTest() {
    model_.name = "m";
    model_.features = {Field("x", FeatureType::kNumeric), Field("k", FeatureType::kNumeric),
                       Field("c", FeatureType::kCategorical),
                       Field("b", FeatureType::kCategorical)};
    model_.settings.windows = {{"1h", 3600}};
    model_.settings.buckets_per_window = 6;
    model_.settings.drift.min_samples = 50;
  }

  // shift = 0: the reference distribution; shift = 1: x + 1σ and every categorical share moved.
  Record Draw(std::mt19937& rng, double shift, double ts) {
    std::normal_distribution<double> normal(shift, 1);
    std::discrete_distribution<int> k3 = shift > 0 ? std::discrete_distribution<int>{1, 1, 2}
                                                   : std::discrete_distribution<int>{2, 1, 1};
    std::discrete_distribution<int> c4 = shift > 0 ? std::discrete_distribution<int>{1, 1, 1, 3}
                                                   : std::discrete_distribution<int>{3, 2, 2, 1};
    std::bernoulli_distribution yes(shift > 0 ? 0.35 : 0.6);
    Record r;
    r.has_timestamp = true;
    r.timestamp = ts;
    r.model_version = "v1";
    r.fields = {{ValueState::kValid, normal(rng), {}},
                {ValueState::kValid, static_cast<double>(k3(rng)), {}},
                {ValueState::kValid, 0, kColors[c4(rng)]},
                {ValueState::kValid, 0, kAnswers[yes(rng) ? 0 : 1]}};
    return r;
  }

  Result<std::unique_ptr<ModelEngine>> Make(int reference_rows) {
    BaselineBuilder b(model_);
    std::mt19937 rng(3);
    for (int i = 0; i < reference_rows; ++i) b.Add(Draw(rng, 0, 0));
    return ModelEngine::Create(model_, std::move(b).Build());
  }

  ModelSnapshot Window(ModelEngine& e, int n, double shift, unsigned seed) {
    std::mt19937 rng(seed);
    for (int i = 0; i < n; ++i) e.OnRecord(Draw(rng, shift, 1000 + i), 1000 + i);
    return e.Evaluate(1000 + n);
  }

  config::ModelConfig model_;
};

TEST_F(MethodsTest, AutoWithASmallReferencePicksKsChiSquareAndZ) {
  auto e = Make(500);
  ASSERT_TRUE(e.ok()) << e.status().message();
  const ModelSnapshot s = e.value()->Evaluate(1000);
  EXPECT_STREQ(s.fields[0].method, "ks");
  EXPECT_STREQ(s.fields[1].method, "chisquare");  // 3 values
  EXPECT_STREQ(s.fields[2].method, "chisquare");  // 4 categories
  EXPECT_STREQ(s.fields[3].method, "z");          // 2 categories
}

TEST_F(MethodsTest, SameDistributionDriftsNowhere) {
  auto e = Make(500);
  ASSERT_TRUE(e.ok());
  const ModelSnapshot s = Window(*e.value(), 400, 0, 21);
  for (const FieldWindow& fw : s.windows[0].fields) {
    EXPECT_TRUE(fw.scored);
    EXPECT_GT(fw.score, 0.05);
    EXPECT_FALSE(fw.detected);
    EXPECT_DOUBLE_EQ(fw.threshold, 0.05);
  }
}

TEST_F(MethodsTest, EachSmallSampleTestDetectsAShift) {
  auto e = Make(500);
  ASSERT_TRUE(e.ok());
  const ModelSnapshot s = Window(*e.value(), 400, 1, 22);
  for (const FieldWindow& fw : s.windows[0].fields) {
    EXPECT_TRUE(fw.detected);
    EXPECT_LT(fw.score, 0.001);
  }
}

TEST_F(MethodsTest, KsExportsItsStatisticAndScoresItsAsymptoticPValue) {
  auto e = Make(500);
  ASSERT_TRUE(e.ok());
  const FieldWindow x = Window(*e.value(), 400, 0.3, 23).windows[0].fields[0];
  ASSERT_EQ(x.extra.size(), 1u);
  EXPECT_STREQ(x.extra[0].method, "ks_statistic");
  EXPECT_GT(x.extra[0].score, 0.05);
  EXPECT_EQ(x.score, drift::KsPValue(x.extra[0].score, 500, 400));
}

TEST_F(MethodsTest, KsAsAnExtraMethodAddsPValueAndStatistic) {
  model_.settings.drift.method = DriftMethod::kPsi;
  model_.settings.drift.extra_methods = {DriftMethod::kKs};
  auto e = Make(2000);
  ASSERT_TRUE(e.ok()) << e.status().message();
  const ModelSnapshot s = Window(*e.value(), 400, 1, 24);
  const FieldWindow& x = s.windows[0].fields[0];
  ASSERT_EQ(x.extra.size(), 2u);
  EXPECT_STREQ(x.extra[0].method, "ks");
  EXPECT_STREQ(x.extra[1].method, "ks_statistic");
  EXPECT_LT(x.extra[0].score, 1e-6);
  EXPECT_TRUE(s.windows[0].fields[2].extra.empty());  // ks does not apply to a categorical
}

TEST_F(MethodsTest, ZOnAFieldWithMoreThanTwoValuesNamesTheField) {
  model_.features[2].drift_method = DriftMethod::kZ;
  auto e = Make(500);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "model m, feature c: method z needs at most 2 distinct reference values; this field "
            "has 4");
}

TEST_F(MethodsTest, ChiSquareOnAContinuousNumericFieldIsAConfigurationError) {
  model_.features[0].drift_method = DriftMethod::kChiSquare;
  auto e = Make(500);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("feature x: method chisquare applies to categorical fields "
                                      "and to numeric ones with at most 20 distinct"),
            std::string::npos)
      << e.status().message();
}

TEST_F(MethodsTest, ChiSquareOnDiscreteNumericUsesTheValueBins) {
  model_.features[1].drift_method = DriftMethod::kChiSquare;
  auto e = Make(2000);  // large reference: only k is chisquare, by configuration
  ASSERT_TRUE(e.ok());
  const ModelSnapshot s = Window(*e.value(), 300, 1, 25);
  EXPECT_STREQ(s.fields[1].method, "chisquare");
  EXPECT_TRUE(s.windows[0].fields[1].detected);
}

}  // namespace
}  // namespace modelwatch::engine
