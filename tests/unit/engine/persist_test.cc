// Engine checkpoints: SaveAggregates -> LoadAggregates gives the same snapshot; a configuration
// with a feature removed keeps the other fields' windows; corrupt input changes nothing.
#include <modelwatch/engine/model_engine.h>

#include <cstring>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "testing/model_config.h"

namespace modelwatch::engine {
namespace {

using config::DriftMethod;
using config::FeatureType;
using testing::Field;

class PersistTest : public ::testing::Test {
 protected:
  PersistTest() : model_(testing::SmallEngineModel()) {}

  // Columns in the order of `model`'s features then outputs.
  Record Row(const config::ModelConfig& model, double x, const char* c, double ts) {
    Record r;
    r.has_timestamp = true;
    r.timestamp = ts;
    r.model_version = "v1";
    for (const auto& f : model.features) {
      if (f.name == "x") r.fields.push_back({ValueState::kValid, x, {}});
      if (f.name == "c") r.fields.push_back({ValueState::kValid, 0, c});
    }
    r.fields.push_back({ValueState::kValid, x * 2, {}});
    return r;
  }

  std::unique_ptr<ModelEngine> Make(const config::ModelConfig& model) {
    BaselineBuilder b(model);
    std::mt19937 rng(7);
    std::normal_distribution<double> n(0, 1);
    for (int i = 0; i < 2000; ++i) b.Add(Row(model, n(rng), i % 3 ? "a" : "b", 0));
    auto e = ModelEngine::Create(model, std::move(b).Build());
    EXPECT_TRUE(e.ok()) << e.status().message();
    return std::move(e).value();
  }

  void Feed(ModelEngine& e, const config::ModelConfig& model, int n, double t0, double dt) {
    std::mt19937 rng(11);
    std::normal_distribution<double> g(0.5, 1);
    const char* cats[] = {"a", "b", "zz", "new"};
    for (int i = 0; i < n; ++i) {
      e.OnRecord(Row(model, g(rng), cats[i % 4], t0 + i * dt), t0 + i * dt + 1);
    }
    Record bad;
    e.OnRejected(RejectReason::kInvalidJson);
  }

  config::ModelConfig model_;
};

void ExpectSameWindows(const ModelSnapshot& a, const ModelSnapshot& b, std::size_t a_field,
                       std::size_t b_field) {
  ASSERT_EQ(a.windows.size(), b.windows.size());
  for (std::size_t w = 0; w < a.windows.size(); ++w) {
    const FieldWindow& x = a.windows[w].fields[a_field];
    const FieldWindow& y = b.windows[w].fields[b_field];
    EXPECT_EQ(x.values, y.values) << a.windows[w].label;
    EXPECT_EQ(x.scored, y.scored);
    EXPECT_DOUBLE_EQ(x.score, y.score);
    EXPECT_EQ(x.invalid, y.invalid);
  }
}

TEST_F(PersistTest, SavedAndLoadedEngineGivesTheSameSnapshot) {
  auto live = Make(model_);
  Feed(*live, model_, 3000, 1000, 0.5);  // spans several buckets, the newest one staged
  std::string bytes;
  live->SaveAggregates(&bytes);
  auto restored = Make(model_);
  auto report = restored->LoadAggregates(bytes);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report.value().fields_kept, 3);
  EXPECT_EQ(report.value().fields_reset, 0);
  EXPECT_EQ(report.value().windows_kept, 2);
  for (double T : {2400.0, 2500.0, 4000.0}) {
    const ModelSnapshot a = live->Evaluate(T);
    const ModelSnapshot b = restored->Evaluate(T);
    for (std::size_t w = 0; w < a.windows.size(); ++w) {
      EXPECT_EQ(a.windows[w].records, b.windows[w].records);
    }
    for (std::size_t f = 0; f < 3; ++f) ExpectSameWindows(a, b, f, f);
    EXPECT_EQ(a.predictions.rejected, b.predictions.rejected);
    EXPECT_EQ(a.fields[1].category_names, b.fields[1].category_names);
    EXPECT_EQ(a.fields[1].category_counts, b.fields[1].category_counts);
    EXPECT_EQ(a.fields[0].bin_observations, b.fields[0].bin_observations);
  }
  // Both go on counting alike.
  Feed(*live, model_, 500, 2600, 0.5);
  Feed(*restored, model_, 500, 2600, 0.5);
  ExpectSameWindows(live->Evaluate(3200), restored->Evaluate(3200), 2, 2);
  EXPECT_EQ(live->Evaluate(3200).fields[1].category_counts,
            restored->Evaluate(3200).fields[1].category_counts);
}

// Found by tests/fuzz/checkpoint_fuzz: a corrupt staging time of 1e300 overflowed the bucket
// index (undefined behaviour). The staging time is the double after the "staged" flag byte (1),
// a time within the fed records' span; replaced by a huge or non-finite value, the aggregates
// must be refused.
TEST_F(PersistTest, AStagingTimeOutOfRangeIsRefused) {
  auto live = Make(model_);
  Feed(*live, model_, 3000, 1000, 0.5);  // times 1000 .. 2500.5, the newest bucket staged
  std::string bytes;
  live->SaveAggregates(&bytes);
  auto restored = Make(model_);
  int candidates = 0;
  for (std::size_t at = 1; at + sizeof(double) <= bytes.size(); ++at) {
    double t;
    std::memcpy(&t, bytes.data() + at, sizeof t);
    if (bytes[at - 1] != 1 || !(t >= 1000 && t <= 2600)) continue;
    ++candidates;
    for (double bad : {1e300, -1e300, std::numeric_limits<double>::quiet_NaN()}) {
      std::string corrupt = bytes;
      std::memcpy(corrupt.data() + at, &bad, sizeof bad);
      EXPECT_FALSE(restored->LoadAggregates(corrupt).ok()) << "offset " << at << " value " << bad;
    }
  }
  EXPECT_GE(candidates, 1);
  ASSERT_TRUE(restored->LoadAggregates(bytes).ok());  // and the good bytes still load
}

TEST_F(PersistTest, RemovedFeatureKeepsTheOtherFieldsWindows) {
  auto live = Make(model_);
  Feed(*live, model_, 3000, 1000, 0.5);
  std::string bytes;
  live->SaveAggregates(&bytes);
  config::ModelConfig smaller = model_;
  smaller.features.erase(smaller.features.begin() + 1);  // drop c
  auto restored = Make(smaller);
  auto report = restored->LoadAggregates(bytes);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().fields_kept, 2);
  const ModelSnapshot a = live->Evaluate(2500);
  const ModelSnapshot b = restored->Evaluate(2500);
  ExpectSameWindows(a, b, 0, 0);  // x
  ExpectSameWindows(a, b, 2, 1);  // y
}

TEST_F(PersistTest, ChangedWindowStartsEmptyAndIsReported) {
  auto live = Make(model_);
  Feed(*live, model_, 3000, 1000, 0.5);
  std::string bytes;
  live->SaveAggregates(&bytes);
  config::ModelConfig other = model_;
  other.settings.windows[1] = {"2h", 7200};
  auto restored = Make(other);
  auto report = restored->LoadAggregates(bytes);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().windows_kept, 1);
  EXPECT_EQ(report.value().windows_reset, 1);
  EXPECT_EQ(restored->Evaluate(2500).windows[1].records, 0);
  EXPECT_EQ(restored->Evaluate(2500).windows[0].records, live->Evaluate(2500).windows[0].records);
}

TEST_F(PersistTest, CorruptOrTruncatedInputFailsAndChangesNothing) {
  auto live = Make(model_);
  Feed(*live, model_, 3000, 1000, 0.5);
  std::string bytes;
  live->SaveAggregates(&bytes);
  auto target = Make(model_);
  Feed(*target, model_, 100, 2000, 0.5);
  const std::int64_t before = target->Evaluate(2500).windows[1].records;
  for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 16) {
    EXPECT_FALSE(target->LoadAggregates(std::string_view(bytes).substr(0, n)).ok()) << n;
  }
  EXPECT_EQ(target->Evaluate(2500).windows[1].records, before);
  std::mt19937 rng(3);
  for (int i = 0; i < 300; ++i) {  // flipped bytes: an error or a load, never a crash
    std::string copy = bytes;
    copy[rng() % copy.size()] ^= static_cast<char>(1 + rng() % 255);
    (void)target->LoadAggregates(copy);
  }
}

}  // namespace
}  // namespace modelwatch::engine
