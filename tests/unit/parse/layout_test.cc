// LayoutFor and LayoutForRows: which pointers a model's lines and reference rows are read at.
#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using config::FeatureType;

config::FeatureConfig Feature(std::string name, std::string path, FeatureType type) {
  config::FeatureConfig f;
  f.name = std::move(name);
  f.path = std::move(path);
  f.type = type;
  return f;
}

config::ModelConfig Model() {
  config::ModelConfig m;
  m.name = "fraud";
  m.record.timestamp = config::TimestampField{"/ts", config::TimestampFormat::kUnixMillis};
  m.record.request_id = "/request_id";
  m.record.model_version = "/model_version";
  m.record.latency.emplace();
  m.record.latency->path = "/latency_ms";
  m.features = {Feature("amount", "/inputs/amount", FeatureType::kNumeric),
                Feature("a/b~c", "/inputs/weird", FeatureType::kCategorical)};
  m.outputs = {Feature("score", "/outputs/score", FeatureType::kNumeric)};
  return m;
}

TEST(LayoutTest, LogLayoutTakesRecordPointersThenFeaturesThenOutputs) {
  const RecordLayout l = LayoutFor(Model());
  ASSERT_TRUE(l.timestamp.has_value());
  EXPECT_EQ(l.timestamp->path, "/ts");
  EXPECT_EQ(l.timestamp->format, config::TimestampFormat::kUnixMillis);
  EXPECT_TRUE(l.timestamp_required);
  EXPECT_EQ(l.request_id, "/request_id");
  EXPECT_EQ(l.model_version, "/model_version");
  ASSERT_TRUE(l.latency.has_value());
  EXPECT_EQ(l.latency->path, "/latency_ms");
  ASSERT_EQ(l.fields.size(), 3u);
  EXPECT_EQ(l.fields[0].pointer, "/inputs/amount");
  EXPECT_EQ(l.fields[1].type, FeatureType::kCategorical);
  EXPECT_EQ(l.fields[2].pointer, "/outputs/score");
}

TEST(LayoutTest, TimestampIsOptionalInArrivalTime) {
  config::ModelConfig m = Model();
  m.settings.time = config::TimeMode::kArrival;
  EXPECT_FALSE(LayoutFor(m).timestamp_required);
  m.settings.time = config::TimeMode::kEvent;
  m.record.timestamp.reset();
  EXPECT_FALSE(LayoutFor(m).timestamp_required);
}

TEST(LayoutTest, RowsAreKeyedByEscapedNameWithTargetLast) {
  config::ModelConfig m = Model();
  m.reference.target = "label";
  const RecordLayout l = LayoutForRows(m);
  EXPECT_FALSE(l.timestamp.has_value());
  EXPECT_FALSE(l.timestamp_required);
  EXPECT_TRUE(l.request_id.empty());
  EXPECT_TRUE(l.model_version.empty());
  EXPECT_FALSE(l.latency.has_value());
  ASSERT_EQ(l.fields.size(), 4u);
  EXPECT_EQ(l.fields[0].pointer, "/amount");
  EXPECT_EQ(l.fields[1].pointer, "/a~1b~0c");
  EXPECT_EQ(l.fields[2].pointer, "/score");
  EXPECT_EQ(l.fields[3].pointer, "/label");
  EXPECT_EQ(l.fields[3].type, FeatureType::kCategorical);
}

TEST(LayoutTest, RowsWithoutTargetHaveNoExtraField) {
  EXPECT_EQ(LayoutForRows(Model()).fields.size(), 3u);
}

TEST(LayoutTest, RowLayoutParsesARowIncludingANumericTarget) {
  config::ModelConfig m = Model();
  m.reference.target = "label";
  testing::Harness h(LayoutForRows(m));
  ASSERT_EQ(h.Parse(R"({"amount":5,"a/b~c":"x","score":0.5,"label":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 5);
  EXPECT_EQ(h.field(1).text, "x");
  EXPECT_EQ(h.field(2).number, 0.5);
  EXPECT_EQ(h.field(3).text, "1");
}

}  // namespace
}  // namespace modelwatch::parse
