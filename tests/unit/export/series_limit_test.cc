// limits.max_series bounds the whole exposition, self-health series included, so a Prometheus
// whose sample_limit equals max_series never fails a scrape.
#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace modelwatch::exposition {
namespace {

// One model with `n` categorical fields of 10 bins each: far more series than the limits below.
engine::Snapshot ManySeries(int n) {
  engine::Snapshot s;
  engine::ModelSnapshot m;
  m.name = "m";
  engine::WindowView w;
  w.label = "5m";
  for (int i = 0; i < n; ++i) {
    engine::FieldInfo f;
    f.name = "f" + std::to_string(i);
    f.type = config::FeatureType::kCategorical;
    f.method = "psi";
    f.bin_observations.assign(10, 1);
    f.baseline_share.assign(10, 0.1);
    m.fields.push_back(f);
    w.fields.emplace_back();
  }
  m.windows.push_back(w);
  s.models.push_back(m);
  return s;
}

SelfHealth WithProcess() {
  SelfHealth h;
  h.version = "0.1.0";
  h.has_process = true;
  h.has_fds = true;
  return h;
}

std::size_t Samples(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty() && line[0] != '#';
  return n;
}

TEST(SeriesLimitTest, TheWholeExpositionHoldsExactlyMaxSeries) {
  for (std::uint64_t limit : {20u, 300u, 1000u}) {
    std::atomic<std::uint64_t> dropped{0};
    const std::string text =
        Render(SnapshotFamilies(ManySeries(200)), WithProcess(), limit, &dropped);
    EXPECT_EQ(Samples(text), limit) << limit;
    EXPECT_GT(dropped.load(), 0u);
  }
}

TEST(SeriesLimitTest, SelfHealthSeriesAreNeverHeldBack) {
  std::atomic<std::uint64_t> dropped{0};
  const std::string text = Render(SnapshotFamilies(ManySeries(50)), WithProcess(), 20, &dropped);
  EXPECT_NE(text.find("modelwatch_build_info{"), std::string::npos);
  EXPECT_NE(text.find("process_max_fds "), std::string::npos);
  EXPECT_NE(text.find("modelwatch_series_dropped_total " + std::to_string(dropped.load())),
            std::string::npos)
      << text;
}

TEST(SeriesLimitTest, DroppedCountsEveryDataSeriesHeldBack) {
  const std::string all = Render(SnapshotFamilies(ManySeries(30)), WithProcess(), 1000000, nullptr);
  std::atomic<std::uint64_t> dropped{0};
  Render(SnapshotFamilies(ManySeries(30)), WithProcess(), 100, &dropped);
  EXPECT_EQ(dropped.load(), Samples(all) - 100);
}

TEST(SeriesLimitTest, ALimitBelowTheSelfHealthSeriesKeepsOnlyThem) {
  std::atomic<std::uint64_t> dropped{0};
  const std::string text = Render(SnapshotFamilies(ManySeries(5)), WithProcess(), 1, &dropped);
  EXPECT_EQ(text.find("modelwatch_feature_"), std::string::npos);
  EXPECT_EQ(Samples(text), Samples(Render({}, WithProcess(), 1000, nullptr)));
}

}  // namespace
}  // namespace modelwatch::exposition
