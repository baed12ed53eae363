#include <modelwatch/engine/quality_snapshot.h>
#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace modelwatch::exposition {
namespace {

engine::Snapshot WithLabels() {
  engine::Snapshot s;
  engine::ModelSnapshot m;
  m.name = "fraud";
  m.active_versions = {"v2"};
  m.version_changes = 3;
  auto v = std::make_shared<engine::LabelsView>();
  v->source.source = "labels";
  v->source.lines = 12;
  v->source.reason_applies.fill(true);
  v->counters.labels = 10;
  v->counters.joined = 7;
  v->counters.unmatched_duplicate = 2;
  v->invalid_labels = 1;
  v->pending_predictions = 4;
  v->delay_bounds = {1, 10};
  v->delay_buckets = {2, 4, 1};
  v->delay_sum = 30;
  v->delay_count = 7;
  v->drift_method = "jensenshannon";
  engine::QualityWindow w;
  w.label = "1h";
  w.labeled = 7;
  w.realised = {{"accuracy", 0.75}};
  w.estimated = {{"accuracy", 0.8}};
  w.drift_scored = true;
  w.drift_score = 0.05;
  w.drift_threshold = 0.1;
  v->windows.push_back(w);
  v->reference = {{"accuracy", 0.9}};
  m.labels = v;
  s.models.push_back(m);
  return s;
}

void ExpectLine(const std::string& text, const std::string& line) {
  EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line << "\n" << text;
}

TEST(LabelFamiliesTest, JoinCountersQualityAndTheDelayHistogram) {
  const std::string t = Render(SnapshotFamilies(WithLabels()), SelfHealth{}, 10000, nullptr);
  ExpectLine(t, "modelwatch_labels_total{model=\"fraud\"} 11");  // invalid labels included
  ExpectLine(t, "modelwatch_labels_joined_total{model=\"fraud\"} 7");
  ExpectLine(t, "modelwatch_labels_unmatched_total{model=\"fraud\",reason=\"duplicate\"} 2");
  ExpectLine(t, "modelwatch_labels_unmatched_total{model=\"fraud\",reason=\"invalid_label\"} 1");
  ExpectLine(t, "modelwatch_pending_predictions{model=\"fraud\"} 4");
  ExpectLine(t, "modelwatch_label_delay_seconds_bucket{model=\"fraud\",le=\"10\"} 6");
  ExpectLine(t, "modelwatch_label_delay_seconds_bucket{model=\"fraud\",le=\"+Inf\"} 7");
  ExpectLine(t, "modelwatch_label_delay_seconds_sum{model=\"fraud\"} 30");
  ExpectLine(t, "modelwatch_model_quality{model=\"fraud\",window=\"1h\",metric=\"accuracy\"} 0.75");
  ExpectLine(
      t,
      "modelwatch_model_quality_estimated{model=\"fraud\",window=\"1h\",metric=\"accuracy\"} "
      "0.8");
  ExpectLine(t, "modelwatch_model_quality_reference{model=\"fraud\",metric=\"accuracy\"} 0.9");
  ExpectLine(t, "modelwatch_window_labeled_records{model=\"fraud\",window=\"1h\"} 7");
  ExpectLine(t,
             "modelwatch_label_drift_score{model=\"fraud\",window=\"1h\",method=\"jensenshannon\"} "
             "0.05");
  ExpectLine(t, "modelwatch_source_lines_total{model=\"fraud\",source=\"labels\"} 12");
  ExpectLine(t, "modelwatch_model_info{model=\"fraud\",model_version=\"v2\"} 1");
  ExpectLine(t, "modelwatch_model_version_changes_total{model=\"fraud\"} 3");
}

TEST(LabelFamiliesTest, StatusJsonSummarisesTheJoinAndEachWindow) {
  const std::string j = StatusJson(WithLabels(), "1");
  EXPECT_NE(j.find("\"labels\":{\"source\":{\"lines\":12"), std::string::npos) << j;
  EXPECT_NE(j.find("\"joined\":7,\"pending_predictions\":4"), std::string::npos) << j;
  EXPECT_NE(j.find("{\"window\":\"1h\",\"labeled\":7,\"quality\":{\"accuracy\":0.75},"
                   "\"estimated\":{\"accuracy\":0.8}}"),
            std::string::npos)
      << j;
}

TEST(LabelFamiliesTest, NothingWithoutGroundTruth) {
  engine::Snapshot s = WithLabels();
  s.models[0].labels.reset();
  const std::string t = Render(SnapshotFamilies(s), SelfHealth{}, 10000, nullptr);
  EXPECT_EQ(t.find("modelwatch_labels_total"), std::string::npos);
  EXPECT_EQ(t.find("source=\"labels\""), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::exposition
