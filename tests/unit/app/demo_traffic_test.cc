#include "app/demo_traffic.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

namespace modelwatch::app {
namespace {

constexpr double kStart = 1795824000.0;  // 2026-11-28T00:00:00Z

// The number after "key": in a line; NaN if absent.
double NumberOf(std::string_view line, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  auto at = line.find(needle);
  if (at == std::string_view::npos) return std::nan("");
  return std::strtod(line.data() + at + needle.size(), nullptr);
}

std::string Lines(TrafficGenerator& gen, int n, double from, double step = 0.02) {
  std::string out;
  for (int i = 0; i < n; ++i) gen.AppendPredictionLine(from + i * step, &out);
  return out;
}

// Mean of `key` and share of lines containing `text`, over the lines of `text_block`.
struct Summary {
  double mean = 0, share = 0;
};
Summary Summarize(const std::string& block, std::string_view key, std::string_view text) {
  double sum = 0, hits = 0, n = 0;
  for (std::size_t p = 0, nl; (nl = block.find('\n', p)) != std::string::npos; p = nl + 1) {
    std::string_view line(block.data() + p, nl - p);
    sum += NumberOf(line, key);
    hits += line.find(text) != std::string_view::npos;
    ++n;
  }
  return {sum / n, hits / n};
}

TEST(TrafficGenerator, SameSeedGivesTheSameLines) {
  TrafficGenerator a({.seed = 7}), b({.seed = 7}), c({.seed = 8});
  std::string la = Lines(a, 100, kStart), lb = Lines(b, 100, kStart), lc = Lines(c, 100, kStart);
  EXPECT_EQ(la, lb);
  EXPECT_NE(la, lc);
}

TEST(TrafficGenerator, LineHasTheWorkloadShape) {
  TrafficGenerator gen({});
  std::string line;
  gen.AppendPredictionLine(kStart + 5 * 3600 + 0.123, &line);
  EXPECT_EQ(line.rfind("{\"ts\":\"2026-11-28T05:00:00.123Z\",\"request_id\":\"r000000001\","
                       "\"model\":\"fraud-detector\",\"model_version\":\"3.2.0\",\"latency_ms\":",
                       0),
            0u);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_GT(line.size(), 350u);
  EXPECT_LT(line.size(), 480u);
}

TEST(TrafficGenerator, LineHasAllTwelveFeaturesAndBothOutputs) {
  TrafficGenerator gen({});
  std::string line;
  gen.AppendPredictionLine(kStart, &line);
  for (std::string_view f : kDemoNumericFeatures) {
    EXPECT_FALSE(std::isnan(NumberOf(line, f))) << f;
  }
  for (std::string_view f : kDemoCategoricalFeatures) {
    EXPECT_NE(line.find("\"" + std::string(f) + "\":\""), std::string::npos) << f;
  }
  EXPECT_NE(line.find("\"outputs\":{\"score\":0."), std::string::npos);
  EXPECT_NE(line.find(",\"label\":\""), std::string::npos);
}

TEST(TrafficGenerator, RequestIdsCountUp) {
  TrafficGenerator gen({});
  std::string lines = Lines(gen, 2, kStart);
  EXPECT_NE(lines.find("\"request_id\":\"r000000002\""), std::string::npos);
  EXPECT_EQ(gen.lines_written(), 2u);
}

TEST(TrafficGenerator, ReferenceRowIsFlatWithOutputsAndTarget) {
  TrafficGenerator gen({});
  std::string row;
  gen.AppendReferenceRow(&row);
  EXPECT_EQ(row.rfind("{\"amount\":", 0), 0u);
  EXPECT_NE(row.find(",\"score\":0."), std::string::npos);
  EXPECT_NE(row.find(",\"predicted\":\""), std::string::npos);
  EXPECT_NE(row.find(",\"target\":\""), std::string::npos);
  EXPECT_EQ(row.find("inputs"), std::string::npos);
}

TEST(TrafficGenerator, WithoutDriftFeatureMeansMatchTheReference) {
  TrafficGenerator ref({.seed = 1}), traffic({.seed = 2});
  std::string rows;
  for (int i = 0; i < 20000; ++i) ref.AppendReferenceRow(&rows);
  std::string lines = Lines(traffic, 20000, kStart);
  for (std::string_view f : {"amount", "age", "distance_from_home_km", "credit_limit"}) {
    double expected = Summarize(rows, f, "").mean;
    EXPECT_NEAR(Summarize(lines, f, "").mean / expected, 1.0, 0.03) << f;
  }
}

TEST(TrafficGenerator, DriftMultipliesAmountFromDriftStartOnly) {
  TrafficGenerator gen({.seed = 3, .drift = true, .drift_start = kStart + 200});
  Summary before = Summarize(Lines(gen, 10000, kStart), "amount", "");
  Summary after = Summarize(Lines(gen, 10000, kStart + 200), "amount", "");
  EXPECT_NEAR(after.mean / before.mean, 2.5, 0.15);
}

TEST(TrafficGenerator, DriftMovesTheRareCountryAndDistanceButNotAge) {
  TrafficGenerator gen({.seed = 4, .drift = true, .drift_start = kStart + 200});
  std::string before = Lines(gen, 10000, kStart), after = Lines(gen, 10000, kStart + 200);
  EXPECT_LT(Summarize(before, "age", "\"country\":\"NG\"").share, 0.01);
  EXPECT_NEAR(Summarize(after, "age", "\"country\":\"NG\"").share, 0.30, 0.02);
  EXPECT_NEAR(Summarize(after, "distance_from_home_km", "").mean /
                  Summarize(before, "distance_from_home_km", "").mean,
              3.0, 0.15);
  EXPECT_NEAR(Summarize(after, "age", "").mean / Summarize(before, "age", "").mean, 1.0, 0.01);
}

TEST(TrafficGenerator, QualityInjectsEachFaultInItsShareFromQualityStartOnly) {
  TrafficGenerator gen({.seed = 5, .quality = true, .quality_start = kStart + 200});
  const std::string before = Lines(gen, 2000, kStart), after = Lines(gen, 50000, kStart + 200);
  const std::pair<std::string_view, double> faults[] = {
      {"\"age\":null,", kDemoAgeNullShare},
      {"\"age\":150,", kDemoAgeOutOfRangeShare},
      {"\"credit_limit\":\"", kDemoCreditLimitTextShare},
      {"\"payment_method\":\"bnpl\"", kDemoNewPaymentShare}};
  for (const auto& [text, share] : faults) {
    EXPECT_EQ(Summarize(before, "amount", text).share, 0) << text;
    EXPECT_NEAR(Summarize(after, "amount", text).share, share, 0.01) << text;
  }
  EXPECT_EQ(Summarize(before, "amount", "\"device_type\"").share, 1);
  EXPECT_NEAR(1 - Summarize(after, "amount", "\"device_type\"").share, kDemoDeviceMissingShare,
              0.01);
}

TEST(TrafficGenerator, QualityLeavesTheOtherFeaturesClean) {
  TrafficGenerator gen({.seed = 6, .quality = true, .quality_start = kStart});
  const std::string lines = Lines(gen, 5000, kStart);
  for (std::string_view f : {"amount", "account_age_days", "velocity_1h", "hour_of_day"}) {
    EXPECT_EQ(Summarize(lines, f, "\"" + std::string(f) + "\":").share, 1) << f;
    EXPECT_FALSE(std::isnan(Summarize(lines, f, "").mean)) << f;
  }
  EXPECT_EQ(Summarize(lines, "amount", "\"country\":null").share, 0);
}

TEST(TrafficGenerator, CleanTrafficIsTheSameWithQualityOffOrNotYetStarted) {
  TrafficGenerator off({.seed = 9}), later({.seed = 9, .quality = true, .quality_start = 1e12});
  EXPECT_EQ(Lines(off, 500, kStart), Lines(later, 500, kStart));
}

// The latency_ms of every line, in order.
std::vector<double> Latencies(const std::string& block) {
  std::vector<double> out;
  for (std::size_t at = block.find("\"latency_ms\":"); at != std::string::npos;
       at = block.find("\"latency_ms\":", at + 1)) {
    out.push_back(std::strtod(block.c_str() + at + 13, nullptr));
  }
  return out;
}

double LowerQuantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)))];
}

TEST(TrafficGenerator, LatencySpikesHaveAHeavyTailAndLeaveTheMedianAlone) {
  TrafficGenerator gen({.seed = 12, .latency = true, .latency_start = kStart + 100});
  // 0.02 s apart: 5,000 lines before the start, then 3,000 in a spike (15 s), 9,000 outside.
  const auto before = Latencies(Lines(gen, 5000, kStart));
  const auto spike = Latencies(Lines(gen, 750, kStart + 100));
  const auto calm = Latencies(Lines(gen, 2250, kStart + 115));
  ASSERT_EQ(spike.size(), 750u);
  EXPECT_LT(LowerQuantile(before, 0.99), 40);  // clean: log-normal around 11 ms
  EXPECT_NEAR(LowerQuantile(spike, 0.5), LowerQuantile(before, 0.5), 3);
  EXPECT_GT(LowerQuantile(spike, 0.9), kDemoSlowMinMs);  // 25 % slow
  auto share_slow = [](const std::vector<double>& v) {
    return static_cast<double>(
               std::count_if(v.begin(), v.end(), [](double x) { return x >= kDemoSlowMinMs; })) /
           static_cast<double>(v.size());
  };
  EXPECT_NEAR(share_slow(spike), kDemoSpikeSlowShare, 0.05);
  EXPECT_NEAR(share_slow(calm), kDemoSlowShare, 0.01);
  EXPECT_EQ(share_slow(before), 0);
  // Heavy tail: the slowest is far beyond the slow floor, never past the cap.
  const double worst = *std::max_element(spike.begin(), spike.end());
  EXPECT_GT(worst, 5 * kDemoSlowMinMs);
  EXPECT_LE(worst, kDemoSlowCapMs);
}

TEST(TrafficGenerator, CleanTrafficIsTheSameWithLatencySpikesNotYetStarted) {
  TrafficGenerator off({.seed = 9}), later({.seed = 9, .latency = true, .latency_start = 1e12});
  EXPECT_EQ(Lines(off, 500, kStart), Lines(later, 500, kStart));
}

}  // namespace
}  // namespace modelwatch::app
