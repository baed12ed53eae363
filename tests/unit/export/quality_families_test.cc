// Data-quality families: reasons by field type, ratios, category series, schema counters.
#include <gtest/gtest.h>
#include <modelwatch/core/record.h>
#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include "export/family_builder.h"

namespace modelwatch::exposition {
namespace {

using config::FeatureType;

engine::FieldInfo Info(const char* name, FeatureType type, bool output = false) {
  engine::FieldInfo f;
  f.name = name;
  f.type = type;
  f.is_output = output;
  f.method = "psi";
  return f;
}

engine::Snapshot Quality() {
  engine::ModelSnapshot m;
  m.name = "m";
  engine::FieldInfo x = Info("x", FeatureType::kNumeric);
  x.values_total = 10;
  x.states_total[engine::kOutOfRange] = 3;
  x.has_reference_ratio = true;
  x.reference_ratio[engine::kOutOfRange] = 0.25;
  engine::FieldInfo c = Info("c", FeatureType::kCategorical);
  c.has_categories = true;
  c.category_names = {"a", "b"};
  c.category_counts = {4, 1};
  c.category_overflow = 5;
  m.fields = {x, c, Info("y", FeatureType::kNumeric, true)};
  engine::WindowView w;
  w.label = "5m";
  w.records = 4;
  w.fields.resize(3);
  w.fields[0].invalid[static_cast<int>(modelwatch::ValueState::kNull)] = 1;
  engine::WindowView empty = w;
  empty.label = "1h";
  empty.records = 0;
  m.windows = {w, empty};
  m.unexpected_fields = 7;
  m.has_request_id = true;
  m.duplicate_request_ids = 2;
  engine::Snapshot s;
  s.models.push_back(m);
  return s;
}

std::string Text() { return Render(SnapshotFamilies(Quality()), SelfHealth{}, 10000, nullptr); }

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(QualityFamiliesTest, ReasonsFollowTheFieldType) {
  const std::string t = Text();
  EXPECT_TRUE(
      Has(t, R"(modelwatch_feature_invalid_total{model="m",feature="x",reason="out_of_range"} 3)"));
  EXPECT_FALSE(Has(
      t, R"(modelwatch_feature_invalid_total{model="m",feature="x",reason="unseen_category"} 0)"));
  EXPECT_TRUE(Has(
      t, R"(modelwatch_feature_invalid_total{model="m",feature="c",reason="unseen_category"} 0)"));
  EXPECT_TRUE(
      Has(t, R"(modelwatch_output_invalid_total{model="m",output="y",reason="missing"} 0)"));
  EXPECT_TRUE(Has(t, R"(modelwatch_feature_values_total{model="m",feature="x"} 10)"));
}

TEST(QualityFamiliesTest, RatiosOnlyForWindowsWithRecords) {
  const std::string t = Text();
  EXPECT_TRUE(Has(
      t,
      R"(modelwatch_feature_invalid_ratio{model="m",feature="x",window="5m",reason="null"} 0.25)"))
      << t;
  EXPECT_EQ(t.find(R"(window="1h",reason)"), std::string::npos);
  EXPECT_TRUE(Has(
      t,
      R"(modelwatch_feature_invalid_ratio_reference{model="m",feature="x",reason="out_of_range"} 0.25)"));
  EXPECT_EQ(t.find("modelwatch_feature_invalid_ratio_reference{model=\"m\",feature=\"c\""),
            std::string::npos);  // c had no reference rows
}

TEST(QualityFamiliesTest, CategorySeriesEndWithOtherAndOverflow) {
  const std::string t = Text();
  EXPECT_TRUE(Has(
      t,
      R"(modelwatch_feature_category_observations_total{model="m",feature="c",category="a"} 4)"));
  EXPECT_TRUE(Has(
      t,
      R"(modelwatch_feature_category_observations_total{model="m",feature="c",category="__other__"} 5)"));
  EXPECT_TRUE(Has(t, R"(modelwatch_category_overflow_total{model="m",feature="c"} 5)"));
  EXPECT_EQ(t.find("feature=\"x\",category="), std::string::npos);
}

TEST(QualityFamiliesTest, SchemaAndDuplicateCounters) {
  const std::string t = Text();
  EXPECT_TRUE(Has(t, R"(modelwatch_record_unexpected_fields_total{model="m"} 7)"));
  EXPECT_TRUE(Has(t, R"(modelwatch_duplicate_request_ids_total{model="m"} 2)"));
  engine::Snapshot s = Quality();
  s.models[0].has_request_id = false;
  const std::string u = Render(SnapshotFamilies(s), SelfHealth{}, 10000, nullptr);
  EXPECT_EQ(u.find("modelwatch_duplicate_request_ids_total"), std::string::npos);
}

TEST(CategorySeriesTest, MergesValuesThatCollideOnceSanitised) {
  engine::FieldInfo f = Info("c", FeatureType::kCategorical);
  f.has_categories = true;
  const std::string long_a = std::string(128, 'x') + "a";
  const std::string long_b = std::string(128, 'x') + "b";
  f.category_names = {"a\x01", "q", "a\x02", long_a, long_b, "__other__"};
  f.category_counts = {1, 2, 3, 4, 5, 6};
  f.category_overflow = 10;
  const auto series = CategorySeries(f);
  ASSERT_EQ(series.size(), 4u);
  EXPECT_EQ(series[0], (std::pair<std::string, std::uint64_t>{"a\xEF\xBF\xBD", 4}));
  EXPECT_EQ(series[1].second, 2u);
  EXPECT_EQ(series[2], (std::pair<std::string, std::uint64_t>{std::string(128, 'x'), 9}));
  EXPECT_EQ(series[3], (std::pair<std::string, std::uint64_t>{"__other__", 16}));
}

TEST(StatusJsonTest, ListsUnexpectedFieldNames) {
  engine::Snapshot s = Quality();
  s.models[0].unexpected_field_names = {"new_key", "q\"uote"};
  const std::string j = StatusJson(s, "1");
  EXPECT_NE(j.find(R"("unexpected_fields":7,"unexpected_field_names":["new_key","q\"uote"])"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find(R"("duplicate_request_ids":2)"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::exposition
