#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include <gtest/gtest.h>

namespace modelwatch::exposition {
namespace {

engine::Snapshot OneModel() {
  engine::Snapshot s;
  engine::ModelSnapshot m;
  m.name = "fraud";
  engine::FieldInfo f;
  f.name = "amount";
  f.method = "psi";
  f.bin_observations = {3, 4};
  f.baseline_share = {0.5, 0.5};
  m.fields.push_back(f);
  engine::WindowView w;
  w.label = "5m";
  w.records = 7;
  engine::FieldWindow fw;
  fw.values = 7;
  fw.scored = true;
  fw.score = 0.25;
  fw.threshold = 0.1;
  fw.detected = true;
  w.fields.push_back(fw);
  w.features_scored = 1;
  w.features_drifted = 1;
  w.has_share = true;
  w.drift_share = 1;
  w.dataset_detected = true;
  m.windows.push_back(w);
  m.versions.push_back({"v\"1\n", 7});
  m.predictions.lines = 9;
  m.predictions.rejected[0] = 2;
  m.predictions.reason_applies.fill(true);
  s.models.push_back(m);
  return s;
}

TEST(SanitizeLabelValueTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(SanitizeLabelValue("a\xff"
                               "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeLabelValue("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(SanitizeLabelValue("h\xC3\xA9"), "h\xC3\xA9");
}

TEST(SanitizeLabelValueTest, ReplacesControlBytesButKeepsTabAndNewline) {
  EXPECT_EQ(SanitizeLabelValue(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeLabelValue("a\rb"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeLabelValue("a\tb\nc"), "a\tb\nc");
}

TEST(SanitizeLabelValueTest, CapsLengthAtACharacterBoundary) {
  std::string v(255, 'x');
  v += "\xC3\xA9";  // two bytes that do not fit in 256
  EXPECT_EQ(SanitizeLabelValue(v), std::string(255, 'x'));
  EXPECT_EQ(SanitizeLabelValue(std::string(10000, 'y')).size(), 256u);
}

TEST(RenderTest, WritesDriftSeriesWithResolvedMethod) {
  std::string text = Render(SnapshotFamilies(OneModel()), SelfHealth{}, 10000, nullptr);
  EXPECT_NE(text.find("modelwatch_feature_drift_score{model=\"fraud\",feature=\"amount\","
                      "window=\"5m\",method=\"psi\"} 0.25"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("modelwatch_feature_bin_observations_total{model=\"fraud\","
                      "feature=\"amount\",bin=\"01\"} 4"),
            std::string::npos);
  EXPECT_NE(text.find("modelwatch_dataset_drift_detected{model=\"fraud\",window=\"5m\"} 1"),
            std::string::npos);
}

TEST(RenderTest, EscapesHostileLabelValues) {
  std::string text = Render(SnapshotFamilies(OneModel()), SelfHealth{}, 10000, nullptr);
  EXPECT_NE(text.find("model_version=\"v\\\"1\\n\"} 7"), std::string::npos) << text;
}

TEST(RenderTest, HoldsBackSeriesPastTheLimitAndCountsThem) {
  std::atomic<std::uint64_t> dropped{0};
  std::string all = Render(SnapshotFamilies(OneModel()), SelfHealth{}, 100000, &dropped);
  EXPECT_EQ(dropped.load(), 0u);
  std::string some = Render(SnapshotFamilies(OneModel()), SelfHealth{}, 5, &dropped);
  EXPECT_GT(dropped.load(), 0u);
  EXPECT_LT(some.size(), all.size());
  EXPECT_NE(some.find("modelwatch_series_dropped_total " + std::to_string(dropped.load())),
            std::string::npos)
      << some;
}

TEST(StatusJsonTest, NamesModelsVersionsAndWindows) {
  std::string j = StatusJson(OneModel(), "0.1.0");
  EXPECT_NE(j.find("\"name\":\"fraud\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"version\":\"v\\\"1\\n\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"window\":\"5m\""), std::string::npos) << j;
}

}  // namespace
}  // namespace modelwatch::exposition

namespace modelwatch::exposition {
namespace {
TEST(SelfHealthTest, CarriesTheDroppedCount) {
  auto f = SelfHealthFamilies(SelfHealth{}, 29);
  bool found = false;
  for (const auto& x : f) {
    if (x.name == "modelwatch_series_dropped_total") {
      found = true;
      EXPECT_EQ(x.metric.at(0).counter.value, 29);
    }
  }
  EXPECT_TRUE(found);
}
}  // namespace
}  // namespace modelwatch::exposition
