// split_by_version: every window per model version, beside the model's own windows. Two
// versions interleaved line by line, one of them shifted: the shifted version drifts, the other
// does not, the model's windows lie in between; a version's windows equal those of an engine
// fed that version's records alone; versions capped by max_versions (the rest as __other__);
// per-version latency percentiles; checkpoints and a toggled split_by_version.
#include <modelwatch/engine/model_engine.h>

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/model_config.h"

namespace modelwatch::engine {
namespace {

class SplitByVersionTest : public ::testing::Test {
 protected:
  SplitByVersionTest() : model_(testing::SmallEngineModel()) {
    model_.settings.split_by_version = true;
  }

  static Record Row(double x, const char* c, double ts, const char* version, double latency = -1) {
    Record r;
    r.has_timestamp = true;
    r.timestamp = ts;
    r.model_version = version;
    r.fields = {
        {ValueState::kValid, x, {}}, {ValueState::kValid, 0, c}, {ValueState::kValid, x, {}}};
    if (latency >= 0) {
      r.latency_state = ValueState::kValid;
      r.latency_seconds = latency;
    }
    return r;
  }

  std::unique_ptr<ModelEngine> Make(const config::ModelConfig& model) {
    BaselineBuilder b(model);
    std::mt19937 rng(7);
    std::normal_distribution<double> n(0, 1);
    for (int i = 0; i < 2000; ++i) b.Add(Row(n(rng), i % 3 ? "a" : "b", 0, "v"));
    auto e = ModelEngine::Create(model, std::move(b).Build());
    EXPECT_TRUE(e.ok()) << e.status().message();
    return std::move(e).value();
  }
  std::unique_ptr<ModelEngine> Make() { return Make(model_); }

  // n rows from t0 every dt, alternating versions "a" (x ~ N(0, 1)) and "b" (x ~ N(shift, 1)),
  // each fed to *both and, when its version matches, to *only.
  void FeedInterleaved(ModelEngine& both, int n, double t0, double dt, double shift,
                       ModelEngine* only_a = nullptr, ModelEngine* only_b = nullptr) {
    std::mt19937 rng(11);
    std::normal_distribution<double> g(0, 1);
    for (int i = 0; i < n; ++i) {
      const bool b = i % 2 == 1;
      const double t = t0 + i * dt;
      const Record r = Row(g(rng) + (b ? shift : 0), i % 3 ? "a" : "b", t, b ? "b" : "a");
      both.OnRecord(r, t);
      if (ModelEngine* only = b ? only_b : only_a) only->OnRecord(r, t);
    }
  }

  static const VersionWindows* Find(const ModelSnapshot& s, const std::string& version) {
    for (const VersionWindows& v : s.version_windows) {
      if (v.version == version) return &v;
    }
    return nullptr;
  }

  config::ModelConfig model_;
};

// Everything a window holds, for comparisons.
void ExpectSameWindows(const std::vector<WindowView>& a, const std::vector<WindowView>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t w = 0; w < a.size(); ++w) {
    SCOPED_TRACE(a[w].label);
    EXPECT_EQ(a[w].label, b[w].label);
    EXPECT_EQ(a[w].records, b[w].records);
    EXPECT_EQ(a[w].features_scored, b[w].features_scored);
    EXPECT_EQ(a[w].features_drifted, b[w].features_drifted);
    EXPECT_DOUBLE_EQ(a[w].drift_share, b[w].drift_share);
    ASSERT_EQ(a[w].fields.size(), b[w].fields.size());
    for (std::size_t i = 0; i < a[w].fields.size(); ++i) {
      EXPECT_EQ(a[w].fields[i].values, b[w].fields[i].values) << i;
      EXPECT_EQ(a[w].fields[i].scored, b[w].fields[i].scored) << i;
      EXPECT_DOUBLE_EQ(a[w].fields[i].score, b[w].fields[i].score) << i;
      EXPECT_EQ(a[w].fields[i].invalid, b[w].fields[i].invalid) << i;
    }
    EXPECT_EQ(a[w].latency.values, b[w].latency.values);
    EXPECT_EQ(a[w].latency.seconds, b[w].latency.seconds);
  }
}

TEST_F(SplitByVersionTest, OnlyTheShiftedVersionDriftsAndTheModelLiesInBetween) {
  auto e = Make();
  FeedInterleaved(*e, 4000, 1000, 0.01, 3.0);
  const ModelSnapshot s = e->Evaluate(1041);
  ASSERT_EQ(s.version_windows.size(), 2u);
  const VersionWindows* a = Find(s, "a");
  const VersionWindows* b = Find(s, "b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (std::size_t w = 0; w < s.windows.size(); ++w) {
    SCOPED_TRACE(s.windows[w].label);
    ASSERT_EQ(a->windows[w].label, s.windows[w].label);
    EXPECT_EQ(a->windows[w].records, 2000);
    EXPECT_EQ(a->windows[w].records + b->windows[w].records, s.windows[w].records);
    const FieldWindow& xa = a->windows[w].fields[0];
    const FieldWindow& xb = b->windows[w].fields[0];
    const FieldWindow& xm = s.windows[w].fields[0];
    ASSERT_TRUE(xa.scored && xb.scored && xm.scored);
    EXPECT_LT(xa.score, 0.1);  // PSI: version a is the reference distribution
    EXPECT_FALSE(xa.detected);
    EXPECT_GT(xb.score, 1.0);  // version b moved by 3 σ
    EXPECT_TRUE(xb.detected);
    EXPECT_GT(xm.score, xa.score);  // the model's mix of both
    EXPECT_LT(xm.score, xb.score);
    // The categorical feature is the same for both versions.
    EXPECT_LT(a->windows[w].fields[1].score, 0.1);
    EXPECT_LT(b->windows[w].fields[1].score, 0.1);
    EXPECT_FALSE(a->windows[w].dataset_detected);
    EXPECT_TRUE(b->windows[w].has_share);
    EXPECT_DOUBLE_EQ(b->windows[w].drift_share, 0.5);  // x of {x, c}
  }
}

TEST_F(SplitByVersionTest, WithoutSplitThereAreNoVersionWindows) {
  model_.settings.split_by_version = false;
  auto e = Make();
  FeedInterleaved(*e, 1000, 1000, 0.01, 3.0);
  EXPECT_TRUE(e->Evaluate(1011).version_windows.empty());
}

TEST_F(SplitByVersionTest, AVersionsWindowsEqualAnEngineFedItsRecordsAlone) {
  auto split = Make();
  model_.settings.split_by_version = false;
  auto only_a = Make();
  auto only_b = Make();
  // In order across many staging periods and buckets, then records older than the staging
  // period (straight to the windows), then time moves on again.
  FeedInterleaved(*split, 3000, 1000, 0.07, 1.0, only_a.get(), only_b.get());
  FeedInterleaved(*split, 500, 1100, 0.05, 1.0, only_a.get(), only_b.get());
  FeedInterleaved(*split, 300, 1300, 0.2, 1.0, only_a.get(), only_b.get());
  for (double T : {1150.0, 1250.0, 1360.0, 1500.0}) {
    SCOPED_TRACE(T);
    const ModelSnapshot s = split->Evaluate(T);
    ASSERT_NE(Find(s, "a"), nullptr);
    ASSERT_NE(Find(s, "b"), nullptr);
    ExpectSameWindows(Find(s, "a")->windows, only_a->Evaluate(T).windows);
    ExpectSameWindows(Find(s, "b")->windows, only_b->Evaluate(T).windows);
    // The model's own windows are those of an engine without split_by_version.
    ExpectSameWindows(s.windows, [&] {
      auto all = Make();
      FeedInterleaved(*all, 3000, 1000, 0.07, 1.0);
      FeedInterleaved(*all, 500, 1100, 0.05, 1.0);
      FeedInterleaved(*all, 300, 1300, 0.2, 1.0);
      return all->Evaluate(T).windows;
    }());
  }
}

TEST_F(SplitByVersionTest, VersionsPastMaxVersionsShareOther) {
  model_.settings.max_versions = 2;
  auto e = Make();
  const char* versions[] = {"1.0", "1.1", "2.0", "2.1", "3.0"};
  for (int i = 0; i < 1000; ++i) e->OnRecord(Row(0, "a", 1000 + i * 0.01, versions[i % 5]), 1010);
  const ModelSnapshot s = e->Evaluate(1011);
  ASSERT_EQ(s.version_windows.size(), 3u);
  EXPECT_EQ(s.version_windows[0].version, "1.0");
  EXPECT_EQ(s.version_windows[1].version, "1.1");
  EXPECT_EQ(s.version_windows[2].version, "__other__");
  EXPECT_EQ(s.version_windows[0].windows[0].records, 200);
  EXPECT_EQ(s.version_windows[2].windows[0].records, 600);
}

TEST_F(SplitByVersionTest, AVersionLeavesWithTheLongestWindow) {
  auto e = Make();
  for (int i = 0; i < 100; ++i) e->OnRecord(Row(0, "a", 1000 + i, "old"), 1000 + i);
  for (int i = 0; i < 100; ++i) e->OnRecord(Row(0, "a", 1100 + i, "new"), 1100 + i);
  ASSERT_EQ(e->Evaluate(1200).version_windows.size(), 2u);
  EXPECT_EQ(e->Evaluate(1200).version_windows[0].windows[0].records, 0);  // not in 1m
  EXPECT_EQ(e->Evaluate(1200).version_windows[0].windows[1].records, 100);
  const ModelSnapshot later = e->Evaluate(1099 + 3601);  // "old" last seen at 1099
  ASSERT_EQ(later.version_windows.size(), 1u);
  EXPECT_EQ(later.version_windows[0].version, "new");
}

TEST_F(SplitByVersionTest, LatencyPercentilesPerVersion) {
  config::LatencyField lat;
  lat.path = "/latency_ms";
  model_.record.latency = lat;
  auto e = Make();
  for (int i = 0; i < 1000; ++i) {
    const bool b = i % 2 == 1;
    e->OnRecord(Row(0, "a", 1000 + i * 0.01, b ? "b" : "a", b ? 0.200 : 0.010), 1010);
  }
  const ModelSnapshot s = e->Evaluate(1011);
  const VersionWindows* a = Find(s, "a");
  const VersionWindows* b = Find(s, "b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->windows[0].latency.values, 500);
  EXPECT_EQ(b->windows[0].latency.values, 500);
  EXPECT_NEAR(a->windows[0].latency.seconds[0], 0.010, 0.0001);
  EXPECT_NEAR(b->windows[0].latency.seconds[0], 0.200, 0.002);
  EXPECT_NEAR(s.windows[0].latency.seconds[3], 0.200, 0.002);  // p99 of the mix
}

TEST_F(SplitByVersionTest, VersionWindowsSurviveACheckpoint) {
  config::LatencyField lat;
  lat.path = "/latency_ms";
  model_.record.latency = lat;
  auto live = Make();
  FeedInterleaved(*live, 3000, 1000, 0.07, 2.0);
  live->OnRecord(Row(5, "zz", 1210.5, "b", 0.3), 1210.5);  // in the staging bucket
  std::string bytes;
  live->SaveAggregates(&bytes);
  auto restored = Make();
  ASSERT_TRUE(restored->LoadAggregates(bytes).ok());
  for (double T : {1211.0, 1250.0}) {
    const ModelSnapshot a = live->Evaluate(T);
    const ModelSnapshot b = restored->Evaluate(T);
    ASSERT_EQ(a.version_windows.size(), 2u);
    ASSERT_EQ(b.version_windows.size(), 2u);
    for (std::size_t v = 0; v < 2; ++v) {
      EXPECT_EQ(a.version_windows[v].version, b.version_windows[v].version);
      ExpectSameWindows(a.version_windows[v].windows, b.version_windows[v].windows);
    }
    ExpectSameWindows(a.windows, b.windows);
  }
  // Records after the restore land in the restored version windows.
  live->OnRecord(Row(0, "a", 1212, "a", 0.01), 1212);
  restored->OnRecord(Row(0, "a", 1212, "a", 0.01), 1212);
  ExpectSameWindows(live->Evaluate(1213).version_windows[0].windows,
                    restored->Evaluate(1213).version_windows[0].windows);
}

TEST_F(SplitByVersionTest, ACheckpointWithoutVersionWindowsLoadsAndTheyStartEmpty) {
  config::ModelConfig unsplit = model_;
  unsplit.settings.split_by_version = false;
  auto old = Make(unsplit);
  FeedInterleaved(*old, 2000, 1000, 0.05, 2.0);
  std::string bytes;
  old->SaveAggregates(&bytes);
  auto split = Make();
  auto report = split->LoadAggregates(bytes);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report.value().windows_kept, 2);
  ModelSnapshot s = split->Evaluate(1101);
  EXPECT_EQ(s.windows[1].records, 2000);    // the model's windows are kept
  ASSERT_EQ(s.version_windows.size(), 0u);  // no lane yet: nothing was counted per version
  split->OnRecord(Row(0, "a", 1101, "a"), 1101);
  s = split->Evaluate(1102);
  ASSERT_EQ(s.version_windows.size(), 1u);
  EXPECT_EQ(s.version_windows[0].windows[1].records, 1);
}

TEST_F(SplitByVersionTest, TurningSplitOffAndOnAgainStartsTheVersionWindowsEmpty) {
  auto split = Make();
  FeedInterleaved(*split, 2000, 1000, 0.05, 2.0);
  std::string with_lanes;
  split->SaveAggregates(&with_lanes);
  // A reload with split_by_version: false reads the section and drops it.
  config::ModelConfig unsplit = model_;
  unsplit.settings.split_by_version = false;
  auto off = Make(unsplit);
  ASSERT_TRUE(off->LoadAggregates(with_lanes).ok());
  EXPECT_TRUE(off->Evaluate(1101).version_windows.empty());
  EXPECT_EQ(off->Evaluate(1101).windows[1].records, 2000);
  std::string without;
  off->SaveAggregates(&without);
  EXPECT_LT(without.size(), with_lanes.size());
  // Back on: no stale per-version counts come back.
  auto on = Make();
  ASSERT_TRUE(on->LoadAggregates(without).ok());
  on->OnRecord(Row(0, "a", 1101, "b"), 1101);
  const ModelSnapshot s = on->Evaluate(1102);
  ASSERT_EQ(s.version_windows.size(), 1u);
  EXPECT_EQ(s.version_windows[0].version, "b");
  EXPECT_EQ(s.version_windows[0].windows[1].records, 1);
  EXPECT_EQ(s.windows[1].records, 2001);
}

TEST_F(SplitByVersionTest, AChangedFieldLayoutStartsTheVersionWindowsEmpty) {
  auto split = Make();
  FeedInterleaved(*split, 2000, 1000, 0.05, 2.0);
  std::string bytes;
  split->SaveAggregates(&bytes);
  config::ModelConfig other = model_;
  other.features.pop_back();  // c removed: the buckets' layout changed
  auto e = Make(other);
  ASSERT_TRUE(e->LoadAggregates(bytes).ok());
  const ModelSnapshot s = e->Evaluate(1101);
  EXPECT_EQ(s.windows[1].records, 2000);  // x kept its windows
  EXPECT_TRUE(s.version_windows.empty());
}

TEST_F(SplitByVersionTest, ACorruptVersionWindowsSectionFailsAndChangesNothing) {
  auto live = Make();
  FeedInterleaved(*live, 2000, 1000, 0.05, 2.0);
  std::string bytes;
  live->SaveAggregates(&bytes);
  std::string unsplit_bytes;
  {
    config::ModelConfig unsplit = model_;
    unsplit.settings.split_by_version = false;
    auto off = Make(unsplit);
    FeedInterleaved(*off, 2000, 1000, 0.05, 2.0);
    off->SaveAggregates(&unsplit_bytes);
  }
  ASSERT_GT(bytes.size(), unsplit_bytes.size() + 8);
  ASSERT_EQ(bytes.substr(0, unsplit_bytes.size()), unsplit_bytes);  // the section is appended
  auto target = Make();
  FeedInterleaved(*target, 100, 1100, 0.05, 2.0);
  const std::int64_t before = target->Evaluate(1106).version_windows.at(0).windows[1].records;
  // Truncated anywhere inside the section (past its first byte): an error.
  for (std::size_t n = unsplit_bytes.size() + 1; n < bytes.size(); n += 1 + n / 64) {
    EXPECT_FALSE(target->LoadAggregates(std::string_view(bytes).substr(0, n)).ok()) << n;
  }
  EXPECT_EQ(target->Evaluate(1106).version_windows.at(0).windows[1].records, before);
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {  // flipped bytes in the section: an error or a load
    std::string copy = bytes;
    const std::size_t at = unsplit_bytes.size() + rng() % (bytes.size() - unsplit_bytes.size());
    copy[at] ^= static_cast<char>(1 + rng() % 255);
    (void)target->LoadAggregates(copy);
  }
}

}  // namespace
}  // namespace modelwatch::engine
