// Latency in the engine: the histogram per version, the windowed percentiles against the exact
// lower-nearest-rank statistic of the records each window holds, the invalid states.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <modelwatch/engine/model_engine.h>

#include "testing/model_config.h"

namespace modelwatch::engine {
namespace {

using config::FeatureType;

class LatencyTest : public ::testing::Test {
 protected:
  LatencyTest() {
    model_.name = "m";
    model_.features = {testing::Field("x", FeatureType::kNumeric)};
    model_.settings.windows = {{"5m", 300}, {"1h", 3600}};
    model_.settings.buckets_per_window = 30;
    config::LatencyField lat;
    lat.path = "/latency_ms";
    lat.objective_seconds = 0.25;
    model_.record.latency = lat;
  }

  std::unique_ptr<ModelEngine> Make() {
    BaselineBuilder b(model_);
    for (int i = 0; i < 500; ++i) b.Add(Row(i, 0, "v1"));
    auto e = ModelEngine::Create(model_, std::move(b).Build());
    EXPECT_TRUE(e.ok()) << e.status().message();
    return std::move(e).value();
  }

  static Record Row(double ts, double latency, const char* version,
                    ValueState state = ValueState::kValid) {
    Record r;
    r.has_timestamp = true;
    r.timestamp = ts;
    r.model_version = version;
    r.latency_state = state;
    r.latency_seconds = latency;
    r.fields = {{ValueState::kValid, 1, {}}};
    return r;
  }

  // The lower-nearest-rank q-quantile of the latencies whose bucket is inside the window of
  // length w ending at T (statistics.md §1: buckets of w/30 whose start is >= T − w).
  static double Exact(const std::vector<std::pair<double, double>>& rows, double w, double T,
                      double q) {
    const double width = w / 30;
    const auto first = static_cast<std::int64_t>(std::ceil((T - w) / width));
    const auto last = static_cast<std::int64_t>(std::floor(T / width));
    std::vector<double> in;
    for (const auto& [t, v] : rows) {
      const auto k = static_cast<std::int64_t>(std::floor(t / width));
      if (k >= first && k <= last) in.push_back(v);
    }
    std::sort(in.begin(), in.end());
    return in[static_cast<std::size_t>(std::floor(q * static_cast<double>(in.size() - 1)))];
  }

  void ExpectWindowsMatchExact(const std::vector<std::pair<double, double>>& rows) {
    auto e = Make();
    for (const auto& [t, v] : rows) e->OnRecord(Row(t, v, "v1"), t);
    const double T = rows.back().first;
    ModelSnapshot s = e->Evaluate(T);
    ASSERT_EQ(s.windows.size(), 2u);
    for (std::size_t w = 0; w < 2; ++w) {
      const double len = model_.settings.windows[w].seconds;
      ASSERT_GT(s.windows[w].latency.values, 1000);
      for (std::size_t i = 0; i < kLatencyQuantiles.size(); ++i) {
        const double exact = Exact(rows, len, T, kLatencyQuantiles[i]);
        const double got = s.windows[w].latency.seconds[i];
        EXPECT_LE(std::fabs(got - exact), 0.01 * exact)
            << s.windows[w].label << " p" << kLatencyPercentileLabels[i];
      }
    }
    // The 5m window holds far fewer records than the 1h one: they really are windows.
    EXPECT_LT(s.windows[0].latency.values * 5, s.windows[1].latency.values);
  }

  config::ModelConfig model_;
};

TEST_F(LatencyTest, WindowedPercentilesOfSeededLognormalAreWithinOnePercent) {
  std::mt19937_64 rng(21);
  std::lognormal_distribution<double> d(std::log(0.012), 0.8);
  std::vector<std::pair<double, double>> rows;
  for (int i = 0; i < 40000; ++i) rows.push_back({1'700'000'000.0 + i * 0.18, d(rng)});
  ExpectWindowsMatchExact(rows);
}

TEST_F(LatencyTest, WindowedPercentilesOfSeededParetoAreWithinOnePercent) {
  std::mt19937_64 rng(22);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::pair<double, double>> rows;
  for (int i = 0; i < 40000; ++i) {
    rows.push_back({1'700'000'000.0 + i * 0.18, 0.005 / std::pow(1 - u(rng), 1 / 1.5)});
  }
  ExpectWindowsMatchExact(rows);
}

TEST_F(LatencyTest, HistogramIsPerVersionAndCountsEveryValidLatency) {
  auto e = Make();
  const double t = 1'700'000'000;
  e->OnRecord(Row(t, 0.001, "v1"), t);      // le=0.001 (upper-inclusive)
  e->OnRecord(Row(t, 0.0011, "v1"), t);     // le=0.0025
  e->OnRecord(Row(t, 30, "v1"), t);         // +Inf only
  e->OnRecord(Row(t, 0.2, "v2"), t);        // le=0.25
  e->OnRecord(Row(t - 1e6, 0.2, "v2"), t);  // too late for the windows, still counted
  e->OnRecord(Row(t, 0, "v2", ValueState::kMissing), t);
  e->OnRecord(Row(t, 0, "v2", ValueState::kTypeMismatch), t);
  ModelSnapshot s = e->Evaluate(t);
  ASSERT_TRUE(s.latency.configured);
  ASSERT_EQ(s.latency.histograms.size(), 2u);
  const LatencyHistogram& v1 = s.latency.histograms[0];
  EXPECT_EQ(v1.version, "v1");
  EXPECT_EQ(v1.count, 3u);
  EXPECT_DOUBLE_EQ(v1.sum, 30.0021);
  ASSERT_EQ(v1.counts.size(), s.latency.bounds.size() + 1);
  EXPECT_EQ(v1.counts[0], 1u);
  EXPECT_EQ(v1.counts[1], 1u);
  EXPECT_EQ(v1.counts.back(), 1u);
  const LatencyHistogram& v2 = s.latency.histograms[1];
  EXPECT_EQ(v2.version, "v2");
  EXPECT_EQ(v2.count, 2u);
  EXPECT_EQ(s.latency.invalid[static_cast<int>(ValueState::kMissing)], 1u);
  EXPECT_EQ(s.latency.invalid[static_cast<int>(ValueState::kTypeMismatch)], 1u);
  ASSERT_TRUE(s.latency.objective_seconds);
  EXPECT_EQ(*s.latency.objective_seconds, 0.25);
  // The windows hold the four in-window valid latencies, not the late one.
  EXPECT_EQ(s.windows[0].latency.values, 4);
  EXPECT_NEAR(s.windows[0].latency.seconds[3], 0.2, 0.2 * 0.01);  // p99 of 4 values: rank 2
}

TEST_F(LatencyTest, WithoutLatencyConfiguredNothingIsKept) {
  model_.record.latency.reset();
  auto e = Make();
  e->OnRecord(Row(1000, 0.5, "v1"), 1000);
  ModelSnapshot s = e->Evaluate(1000);
  EXPECT_FALSE(s.latency.configured);
  EXPECT_TRUE(s.latency.histograms.empty());
  EXPECT_EQ(s.windows[0].latency.values, 0);
}

TEST_F(LatencyTest, AWindowThatMovedPastTheSpikeForgetsIt) {
  auto e = Make();
  const double t0 = 1'700'000'000;
  for (int i = 0; i < 600; ++i) e->OnRecord(Row(t0 + i * 0.1, 2.0, "v1"), t0 + i * 0.1);
  for (int i = 0; i < 600; ++i) {
    const double t = t0 + 400 + i * 0.1;
    e->OnRecord(Row(t, 0.01, "v1"), t);
  }
  ModelSnapshot s = e->Evaluate(t0 + 460);
  EXPECT_NEAR(s.windows[0].latency.seconds[3], 0.01, 0.0001);  // 5m: only the fast ones
  EXPECT_NEAR(s.windows[1].latency.seconds[3], 2.0, 0.02);     // 1h: the spike is still there
}

TEST_F(LatencyTest, ACheckpointRestoresHistogramsAndWindowPercentiles) {
  auto a = Make();
  std::mt19937_64 rng(31);
  std::lognormal_distribution<double> d(std::log(0.02), 1.0);
  const double t0 = 1'700'000'000;
  for (int i = 0; i < 5000; ++i) {
    const double t = t0 + i * 0.5;
    a->OnRecord(Row(t, d(rng), i % 3 ? "v1" : "v2"), t);
  }
  a->OnRecord(Row(t0 + 2500, 0, "v1", ValueState::kNull), t0 + 2500);
  std::string bytes;
  a->SaveAggregates(&bytes);
  auto b = Make();
  ASSERT_TRUE(b->LoadAggregates(bytes).ok());
  const double T = t0 + 2500;
  ModelSnapshot sa = a->Evaluate(T), sb = b->Evaluate(T);
  ASSERT_EQ(sb.latency.histograms.size(), 2u);
  for (std::size_t v = 0; v < 2; ++v) {
    EXPECT_EQ(sb.latency.histograms[v].counts, sa.latency.histograms[v].counts);
    EXPECT_EQ(sb.latency.histograms[v].count, sa.latency.histograms[v].count);
    EXPECT_DOUBLE_EQ(sb.latency.histograms[v].sum, sa.latency.histograms[v].sum);
  }
  EXPECT_EQ(sb.latency.invalid, sa.latency.invalid);
  for (std::size_t w = 0; w < 2; ++w) {
    EXPECT_EQ(sb.windows[w].latency.values, sa.windows[w].latency.values);
    EXPECT_EQ(sb.windows[w].latency.seconds, sa.windows[w].latency.seconds);
  }
  EXPECT_GT(sb.windows[1].latency.values, 1000);
}

TEST_F(LatencyTest, ACheckpointWithOtherBucketsRestoresTheRestAndNoLatency) {
  auto a = Make();
  // Two versions, so the version section after the latency one holds a change.
  for (int i = 0; i < 100; ++i) a->OnRecord(Row(1000 + i, 0.1, i < 50 ? "v1" : "v2"), 1000 + i);
  std::string bytes;
  a->SaveAggregates(&bytes);
  ASSERT_EQ(a->Evaluate(1100).version_changes, 1u);
  model_.record.latency->buckets = {0.5, 1};
  auto b = Make();
  ASSERT_TRUE(b->LoadAggregates(bytes).ok());
  ModelSnapshot s = b->Evaluate(1100);
  EXPECT_TRUE(s.latency.histograms.empty());
  EXPECT_EQ(s.windows[1].latency.values, 0);
  EXPECT_EQ(s.windows[1].records, 100);  // the drift part is restored all the same
  // So are the sections after the latency one (they were dropped with it before).
  EXPECT_EQ(s.version_changes, 1u);
  model_.record.latency.reset();
  auto off = Make();
  ASSERT_TRUE(off->LoadAggregates(bytes).ok());
  EXPECT_EQ(off->Evaluate(1100).version_changes, 1u);
}

}  // namespace
}  // namespace modelwatch::engine
