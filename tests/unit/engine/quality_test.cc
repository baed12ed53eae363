// Data quality in the engine: one reason per value, ratios, category tables, schema, duplicates.
#include <numeric>
#include <string>

#include <gtest/gtest.h>

#include <modelwatch/engine/model_engine.h>
#include "testing/model_config.h"

#include "engine/category_table.h"
#include "engine/duplicate_filter.h"

namespace modelwatch::engine {
namespace {

using config::FeatureType;

using testing::Field;

FieldValue Num(double x) { return {ValueState::kValid, x, {}}; }
FieldValue Cat(std::string_view c) { return {ValueState::kValid, 0, c}; }
FieldValue Bad(ValueState s) { return {s, 0, {}}; }

class QualityTest : public ::testing::Test {
 protected:
  QualityTest() {
    model_.name = "m";
    model_.features = {Field("x", FeatureType::kNumeric), Field("c", FeatureType::kCategorical)};
    model_.outputs = {Field("y", FeatureType::kNumeric)};
    model_.settings.windows = {{"1m", 60}, {"1h", 3600}};
    model_.settings.buckets_per_window = 6;
    model_.settings.drift.method = config::DriftMethod::kPsi;
  }

  // Reference: x and y are 0..99 (20 times each), c cycles a, b, a, c (a first by frequency);
  // `null_rows` more rows have a null x.
  std::unique_ptr<ModelEngine> Make(int null_rows = 0) {
    BaselineBuilder b(model_);
    const char* cats[] = {"a", "b", "a", "c"};
    for (int i = 0; i < 2000; ++i) b.Add(Rec(Num(i % 100), Cat(cats[i % 4]), Num(i % 100)));
    for (int i = 0; i < null_rows; ++i) {
      b.Add(Rec(Bad(ValueState::kNull), Cat("a"), Num(1)));
    }
    auto e = ModelEngine::Create(model_, std::move(b).Build());
    EXPECT_TRUE(e.ok()) << e.status().message();
    return std::move(e).value();
  }

  static Record Rec(FieldValue x, FieldValue c, FieldValue y, double ts = 1000) {
    Record r;
    r.has_timestamp = true;
    r.timestamp = ts;
    r.fields = {x, c, y};
    return r;
  }
  void Put(ModelEngine& e, int n, FieldValue x, FieldValue c, double ts = 1000) {
    for (int i = 0; i < n; ++i) e.OnRecord(Rec(x, c, Num(5), ts), ts);
  }

  config::ModelConfig model_;
};

TEST_F(QualityTest, EveryReasonIsCountedExactlyOncePerValue) {
  auto e = Make();
  Put(*e, 3, Bad(ValueState::kMissing), Cat("a"));
  Put(*e, 2, Bad(ValueState::kNull), Bad(ValueState::kNull));
  Put(*e, 4, Bad(ValueState::kNan), Bad(ValueState::kEmpty));
  Put(*e, 5, Bad(ValueState::kTypeMismatch), Bad(ValueState::kTypeMismatch));
  Put(*e, 6, Num(1000), Cat("zzz"));  // out_of_range, unseen_category
  Put(*e, 7, Num(-0.5), Cat("b"));    // out_of_range below the reference minimum
  Put(*e, 10, Num(50), Cat("c"));     // valid
  const ModelSnapshot s = e->Evaluate(1000);
  const auto& x = s.fields[0].states_total;
  const auto& c = s.fields[1].states_total;
  EXPECT_EQ(s.fields[0].values_total, 37u);
  EXPECT_EQ((std::vector<std::uint64_t>(x.begin(), x.end())),
            (std::vector<std::uint64_t>{10, 3, 2, 4, 0, 5, 13, 0}));
  EXPECT_EQ((std::vector<std::uint64_t>(c.begin(), c.end())),
            (std::vector<std::uint64_t>{20, 0, 2, 0, 4, 5, 0, 6}));
  EXPECT_EQ(s.windows[0].fields[0].invalid[kOutOfRange], 13);
  EXPECT_EQ(s.windows[0].fields[1].invalid[kUnseenCategory], 6);
  EXPECT_EQ(s.windows[0].fields[1].invalid[static_cast<int>(ValueState::kEmpty)], 4);
}

TEST_F(QualityTest, InvalidValuesStayOutOfDriftWhileOutOfRangeAndUnseenStayIn) {
  auto e = Make();
  Put(*e, 3, Bad(ValueState::kNull), Bad(ValueState::kMissing));
  Put(*e, 6, Num(1000), Cat("zzz"));
  Put(*e, 10, Num(50), Cat("a"));
  const ModelSnapshot s = e->Evaluate(1000);
  EXPECT_EQ(s.windows[0].fields[0].values, 16);
  EXPECT_EQ(s.windows[0].fields[1].values, 16);
  const auto& xb = s.fields[0].bin_observations;
  EXPECT_EQ(std::accumulate(xb.begin(), xb.end(), 0ull), 16u);
  EXPECT_EQ(xb.back(), 6u);                            // the "above" bin
  EXPECT_EQ(s.fields[1].bin_observations.back(), 6u);  // __other__
}

TEST_F(QualityTest, ConfiguredRangeReplacesTheReferenceRangeAndAnAbsentBoundIsOpen) {
  model_.features[0].range = config::Range{10, std::nullopt};
  auto e = Make();
  Put(*e, 2, Num(5), Cat("a"));    // inside the reference, below the configured min
  Put(*e, 3, Num(1e9), Cat("a"));  // no configured max
  Put(*e, 4, Num(10), Cat("a"));   // the bound itself is valid
  const ModelSnapshot s = e->Evaluate(1000);
  EXPECT_EQ(s.fields[0].states_total[kOutOfRange], 2u);
  EXPECT_EQ(s.fields[0].states_total[0], 7u);
}

TEST_F(QualityTest, ReferenceRatiosComeFromTheReferenceRows) {
  model_.features[0].range = config::Range{std::nullopt, 49};
  auto e = Make(/*null_rows=*/500);  // 2,500 rows: 500 null x, 1,000 x in 50..99
  const ModelSnapshot s = e->Evaluate(1000);
  ASSERT_TRUE(s.fields[0].has_reference_ratio);
  EXPECT_DOUBLE_EQ(s.fields[0].reference_ratio[static_cast<int>(ValueState::kNull)], 0.2);
  EXPECT_DOUBLE_EQ(s.fields[0].reference_ratio[kOutOfRange], 0.4);
  EXPECT_DOUBLE_EQ(s.fields[1].reference_ratio[kUnseenCategory], 0);
  EXPECT_DOUBLE_EQ(s.fields[2].reference_ratio[kOutOfRange], 0);  // no range: 0 by definition
}

TEST_F(QualityTest, WindowInvalidCountsLeaveWithTheirWindow) {
  auto e = Make();
  Put(*e, 4, Bad(ValueState::kNull), Cat("a"), 1000);
  Put(*e, 1, Num(50), Cat("a"), 1100);
  const ModelSnapshot s = e->Evaluate(1100);
  EXPECT_EQ(s.windows[0].records, 1);
  EXPECT_EQ(s.windows[0].fields[0].invalid[static_cast<int>(ValueState::kNull)], 0);
  EXPECT_EQ(s.windows[1].fields[0].invalid[static_cast<int>(ValueState::kNull)], 4);
  EXPECT_EQ(s.fields[0].states_total[static_cast<int>(ValueState::kNull)], 4u);
}

TEST_F(QualityTest, CategoriesAreCappedReferenceFirstThenFirstSeen) {
  model_.settings.max_categories = 50;
  auto e = Make();
  std::string v;
  for (int i = 0; i < 100000; ++i) {
    v = "v" + std::to_string(i);
    e->OnRecord(Rec(Num(1), Cat(v), Num(1)), 1000);
  }
  Put(*e, 5, Num(1), Cat("b"));
  const FieldInfo c = e->Evaluate(1000).fields[1];
  ASSERT_TRUE(c.has_categories);
  ASSERT_EQ(c.category_names.size(), 50u);
  EXPECT_EQ(c.category_names[0], "a");  // reference top categories, drift-bin order
  EXPECT_EQ(c.category_names[1], "b");
  EXPECT_EQ(c.category_names[2], "c");
  EXPECT_EQ(c.category_names[3], "v0");  // then the first seen in traffic
  EXPECT_EQ(c.category_names[49], "v46");
  EXPECT_EQ(c.category_counts[1], 5u);
  EXPECT_EQ(c.category_overflow, 100000u - 47u);
  const auto sum = std::accumulate(c.category_counts.begin(), c.category_counts.end(), 0ull);
  EXPECT_EQ(sum + c.category_overflow, 100005u);
  EXPECT_EQ(c.bin_observations.back(), 100000u);  // the drift bins are unchanged by the cap
}

TEST_F(QualityTest, HashModeShowsTheFnvPrefixAndFalseOmitsTheTable) {
  model_.features[1].expose_categories = config::ExposeCategories::kHash;
  auto e = Make();
  const FieldInfo c = e->Evaluate(1000).fields[1];
  ASSERT_EQ(c.category_names.size(), 3u);
  EXPECT_EQ(c.category_names[0], "af63dc4c");  // FNV-1a 64 of "a" is af63dc4c8601ec8c
  EXPECT_EQ(CategoryHash("a"), "af63dc4c");

  model_.features[1].expose_categories = config::ExposeCategories::kFalse;
  EXPECT_FALSE(Make()->Evaluate(1000).fields[1].has_categories);
}

TEST_F(QualityTest, UnexpectedFieldsAreCountedAndTheirNamesCappedAndDistinct) {
  auto e = Make();
  std::vector<std::string> names;
  for (int i = 0; i < 30; ++i) names.push_back("k" + std::to_string(i));
  for (int i = 0; i < 30; ++i) {
    Record r = Rec(Num(1), Cat("a"), Num(1));
    r.unexpected_fields = 3;
    r.unexpected_named = 2;
    r.unexpected_names = {names[static_cast<std::size_t>(i)], "k0"};
    e->OnRecord(r, 1000);
  }
  const ModelSnapshot s = e->Evaluate(1000);
  EXPECT_EQ(s.unexpected_fields, 90u);
  ASSERT_EQ(s.unexpected_field_names.size(), static_cast<std::size_t>(kMaxUnexpectedFieldNames));
  EXPECT_EQ(s.unexpected_field_names[1], "k1");
}

TEST_F(QualityTest, DuplicateRequestIdsAreCountedOnlyWhenConfigured) {
  EXPECT_FALSE(Make()->Evaluate(1000).has_request_id);
  model_.record.request_id = "/id";
  auto e = Make();
  for (const char* id : {"r1", "r2", "r1", "r3", "r2", "", ""}) {
    Record r = Rec(Num(1), Cat("a"), Num(1));
    r.request_id = id;
    e->OnRecord(r, 1000);
  }
  const ModelSnapshot s = e->Evaluate(1000);
  EXPECT_TRUE(s.has_request_id);
  EXPECT_EQ(s.duplicate_request_ids, 2u);  // absent ids are not duplicates
}

TEST(DuplicateFilterTest, FindsRepeatsWithinTheHorizonAndForgetsBeyondIt) {
  DuplicateFilter f;
  constexpr int kN = DuplicateFilter::kPerGeneration;
  int false_positives = 0;
  for (int i = 0; i < 2 * kN; ++i) false_positives += f.SeenBefore("id-" + std::to_string(i));
  EXPECT_EQ(false_positives, 0);
  int found = 0;
  for (int i = kN; i < 2 * kN; ++i) found += f.SeenBefore("id-" + std::to_string(i));
  EXPECT_EQ(found, kN);  // the last kPerGeneration ids are always remembered
  for (int i = 2 * kN; i < 4 * kN; ++i) f.SeenBefore("id-" + std::to_string(i));
  EXPECT_FALSE(f.SeenBefore("id-0"));  // 2·kPerGeneration later: forgotten
}

}  // namespace
}  // namespace modelwatch::engine
