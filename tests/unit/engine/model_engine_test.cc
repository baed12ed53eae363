#include <modelwatch/engine/model_engine.h>

#include <random>

#include <gtest/gtest.h>

#include "testing/model_config.h"

namespace modelwatch::engine {
namespace {

using config::DriftMethod;
using config::FeatureType;

using testing::Field;

class ModelEngineTest : public ::testing::Test {
 protected:
  ModelEngineTest() : model_(testing::SmallEngineModel()) {}

  Record Row(double x, const char* c, double ts = 0) {
    Record r;
    r.has_timestamp = true;
    r.timestamp = ts;
    r.model_version = "v1";
    r.fields = {
        {ValueState::kValid, x, {}}, {ValueState::kValid, 0, c}, {ValueState::kValid, x, {}}};
    return r;
  }

  std::unique_ptr<ModelEngine> Make() {
    BaselineBuilder b(model_);
    std::mt19937 rng(7);
    std::normal_distribution<double> n(0, 1);
    for (int i = 0; i < 2000; ++i) b.Add(Row(n(rng), i % 3 ? "a" : "b"));
    auto e = ModelEngine::Create(model_, std::move(b).Build());
    EXPECT_TRUE(e.ok()) << e.status().message();
    return std::move(e).value();
  }

  // Feeds n rows at times t0, t0+dt, ...; `shift` moves x; `cat` is the category.
  void Feed(ModelEngine& e, int n, double t0, double dt, double shift, const char* cat) {
    std::mt19937 rng(11);
    std::normal_distribution<double> g(0, 1);
    for (int i = 0; i < n; ++i) {
      Record r = Row(g(rng) + shift, cat, t0 + i * dt);
      e.OnRecord(r, t0 + i * dt);
    }
  }

  config::ModelConfig model_;
};

TEST_F(ModelEngineTest, LinesEqualPredictionsPlusRejected) {
  auto e = Make();
  Feed(*e, 120, 1000, 0.1, 0, "a");
  e->OnRejected(RejectReason::kInvalidJson);
  e->OnRejected(RejectReason::kLineTooLong);
  e->OnRejected(RejectReason::kInvalidJson);
  ModelSnapshot s = e->Evaluate(1012);
  std::uint64_t predictions = 0, rejected = 0;
  for (const auto& v : s.versions) predictions += v.predictions;
  for (auto r : s.predictions.rejected) rejected += r;
  EXPECT_EQ(predictions, 120u);
  EXPECT_EQ(rejected, 3u);
  EXPECT_EQ(s.predictions.lines, predictions + rejected);
}

TEST_F(ModelEngineTest, SameDistributionDoesNotDrift) {
  auto e = Make();
  Feed(*e, 1000, 1000, 0.05, 0, "a");
  ModelSnapshot s = e->Evaluate(1050);
  const FieldWindow& x = s.windows[0].fields[0];
  EXPECT_TRUE(x.scored);
  EXPECT_EQ(x.values, 1000);
  EXPECT_FALSE(x.detected) << x.score;
  EXPECT_DOUBLE_EQ(x.threshold, 0.1);
}

TEST_F(ModelEngineTest, ShiftedFeatureDriftsAndCountsInDatasetShare) {
  auto e = Make();
  Feed(*e, 1000, 1000, 0.05, 1.5, "a");
  ModelSnapshot s = e->Evaluate(1050);
  EXPECT_TRUE(s.windows[0].fields[0].detected);
  EXPECT_TRUE(s.windows[0].fields[2].detected);  // the output drifts too
  EXPECT_EQ(s.windows[0].features_scored, 2);    // outputs are not in the share
  EXPECT_TRUE(s.windows[0].has_share);
}

TEST_F(ModelEngineTest, BelowMinSamplesIsNotScored) {
  auto e = Make();
  Feed(*e, 49, 1000, 0.1, 3, "b");
  ModelSnapshot s = e->Evaluate(1010);
  EXPECT_FALSE(s.windows[0].fields[0].scored);
  EXPECT_FALSE(s.windows[0].fields[0].detected);
  EXPECT_EQ(s.windows[0].fields[0].values, 49);
  EXPECT_FALSE(s.windows[0].has_share);
}

TEST_F(ModelEngineTest, ShortWindowForgetsWhileLongWindowRemembers) {
  auto e = Make();
  Feed(*e, 200, 1000, 0.1, 0, "a");
  ModelSnapshot s = e->Evaluate(1000 + 20 + 120);
  EXPECT_EQ(s.windows[0].records, 0);
  EXPECT_EQ(s.windows[1].records, 200);
}

TEST_F(ModelEngineTest, RecordsTooLateOrInTheFutureStayOutOfWindows) {
  auto e = Make();
  const double now = 100000;
  e->OnRecord(Row(0, "a", now - 3600 - 61), now);  // older than 1h + 1m lateness
  e->OnRecord(Row(0, "a", now + 61), now);         // beyond max_future_skew
  e->OnRecord(Row(0, "a", now - 10), now);
  ModelSnapshot s = e->Evaluate(now);
  EXPECT_EQ(s.outside[static_cast<int>(OutsideReason::kTooLate)], 1u);
  EXPECT_EQ(s.outside[static_cast<int>(OutsideReason::kInFuture)], 1u);
  EXPECT_EQ(s.windows[1].records, 1);
  EXPECT_EQ(s.versions[0].predictions, 3u);
  EXPECT_EQ(s.fields[0].values_total, 3u);  // counters for ever count every record
  EXPECT_EQ(s.windows[1].fields[0].values, 1);
}

TEST_F(ModelEngineTest, UnseenCategoryGoesToOtherBin) {
  auto e = Make();
  Feed(*e, 100, 1000, 0.1, 0, "zzz");
  ModelSnapshot s = e->Evaluate(1010);
  const FieldInfo& c = s.fields[1];
  ASSERT_EQ(c.bin_observations.size(), 3u);  // a, b, __other__
  EXPECT_EQ(c.bin_observations[2], 100u);
  EXPECT_TRUE(s.windows[0].fields[1].detected);
}

TEST_F(ModelEngineTest, VersionsAreCappedWithOther) {
  model_.settings.max_versions = 2;
  auto e = Make();
  for (const char* v : {"a", "b", "c", "d", "a"}) {
    Record r = Row(0, "a", 1000);
    r.model_version = v;
    e->OnRecord(r, 1000);
  }
  ModelSnapshot s = e->Evaluate(1000);
  ASSERT_EQ(s.versions.size(), 3u);
  EXPECT_EQ(s.versions[0].predictions, 2u);
  EXPECT_EQ(s.versions[2].version, "__other__");
  EXPECT_EQ(s.versions[2].predictions, 2u);
}

TEST_F(ModelEngineTest, InapplicableMethodIsAConfigurationError) {
  model_.settings.drift.method = DriftMethod::kWasserstein;  // not for the categorical c
  BaselineBuilder b(model_);
  for (int i = 0; i < 10; ++i) b.Add(Row(i, "a"));
  auto e = ModelEngine::Create(model_, std::move(b).Build());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("feature c: method wasserstein does not apply"),
            std::string::npos)
      << e.status().message();
}

}  // namespace
}  // namespace modelwatch::engine

namespace modelwatch::engine {
namespace {

// Staging (one hot bucket for the newest period) must not change any number: the same records
// give the same windows whether they arrive in order, out of order, or with windows whose
// bucket widths do not divide each other (staging off).
class StagingTest : public ModelEngineTest {
 protected:
  std::vector<std::pair<double, double>> Points() {  // (time, x)
    std::mt19937 rng(21);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<std::pair<double, double>> p;
    for (int i = 0; i < 3000; ++i) p.push_back({1000 + i * 0.07, u(rng) * 3 - 1.5});
    return p;
  }
  std::vector<std::int64_t> Windowed(ModelEngine& e, double T) {
    ModelSnapshot s = e.Evaluate(T);
    std::vector<std::int64_t> out;
    for (const auto& w : s.windows) {
      out.push_back(w.records);
      for (const auto& f : w.fields) out.push_back(f.values);
    }
    for (std::uint64_t c : s.fields[0].bin_observations)
      out.push_back(static_cast<std::int64_t>(c));
    return out;
  }
};

TEST_F(StagingTest, OrderDoesNotChangeTheWindows) {
  auto in_order = Make();
  auto shuffled = Make();
  auto p = Points();
  for (auto [t, x] : p) in_order->OnRecord(Row(x, "a", t), t);
  std::mt19937 rng(4);
  std::shuffle(p.begin(), p.end(), rng);
  for (auto [t, x] : p) shuffled->OnRecord(Row(x, "a", t), 1210);
  for (double T : {1100.0, 1150.0, 1210.0, 1260.0}) {
    EXPECT_EQ(Windowed(*in_order, T), Windowed(*shuffled, T)) << "T " << T;
  }
}

TEST_F(StagingTest, NewestPeriodCountsBeforeItIsFlushed) {
  auto e = Make();
  for (int i = 0; i < 5; ++i) e->OnRecord(Row(0, "a", 1000.5), 1000.5);
  EXPECT_EQ(e->Evaluate(1001).windows[0].records, 5);  // still in the staging bucket
  EXPECT_EQ(e->Evaluate(1001).windows[1].records, 5);
  EXPECT_EQ(e->Evaluate(1000 + 61).windows[0].records, 0);  // expired from 1m, not from 1h
  EXPECT_EQ(e->Evaluate(1000 + 61).windows[1].records, 5);
}

TEST_F(StagingTest, WindowsWhoseBucketsDoNotNestGiveTheSameNumbers) {
  auto nested = Make();
  model_.settings.windows = {{"1m", 60}, {"1h", 3600}, {"45s", 45}};  // 10, 600, 7.5 s: off
  auto odd = Make();
  for (auto [t, x] : Points()) {
    nested->OnRecord(Row(x, "a", t), t);
    odd->OnRecord(Row(x, "a", t), t);
  }
  auto a = Windowed(*nested, 1210);
  auto b = Windowed(*odd, 1210);
  ASSERT_GT(b.size(), a.size());
  // 1m and 1h agree (the first two windows' numbers); bin observations are the last ones.
  const std::size_t per_window = 1 + 3;
  EXPECT_EQ(std::vector<std::int64_t>(a.begin(), a.begin() + 2 * per_window),
            std::vector<std::int64_t>(b.begin(), b.begin() + 2 * per_window));
}

}  // namespace
}  // namespace modelwatch::engine
