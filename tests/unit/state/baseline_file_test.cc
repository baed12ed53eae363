#include <modelwatch/state/baseline_file.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <modelwatch/engine/model_engine.h>
#include "testing/model_config.h"

namespace modelwatch::state {
namespace {

using config::DriftMethod;
using config::FeatureType;

config::FeatureConfig Field(const char* name, FeatureType type) {
  return testing::Field(name, type, "/inputs/");
}

std::uint64_t Bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// Bitwise equality of two double vectors, reporting the first difference.
::testing::AssertionResult SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << a.size() << " vs " << b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Bits(a[i]) != Bits(b[i])) return ::testing::AssertionFailure() << "at " << i;
  }
  return ::testing::AssertionSuccess();
}

class BaselineFileTest : public ::testing::Test {
 protected:
  BaselineFileTest() {
    model_.name = "m";
    // x continuous, d discrete (<= 20 values), c categorical, e never valid; y an output.
    model_.features = {Field("x", FeatureType::kNumeric), Field("d", FeatureType::kNumeric),
                       Field("c", FeatureType::kCategorical), Field("e", FeatureType::kNumeric)};
    model_.outputs = {Field("y", FeatureType::kNumeric)};
    model_.settings.windows = {{"1h", 3600}};
    model_.settings.drift.method = DriftMethod::kPsi;
    model_.settings.drift.extra_methods = {DriftMethod::kWasserstein, DriftMethod::kKl,
                                           DriftMethod::kJensenShannon, DriftMethod::kHellinger,
                                           DriftMethod::kLinf};
    model_.settings.drift.min_samples = 10;
  }

  Record Row(double x, double d, const char* c, double y) {
    Record r;
    r.fields = {{ValueState::kValid, x, {}},
                {ValueState::kValid, d, {}},
                {ValueState::kValid, 0, c},
                {ValueState::kMissing, 0, {}},
                {ValueState::kValid, y, {}}};
    return r;
  }

  // 3,000 reference rows with awkward numbers, strings that need escaping and invalid values.
  engine::Baseline Reference() {
    engine::BaselineBuilder b(model_);
    std::mt19937 rng(5);
    std::lognormal_distribution<double> g(0, 2);
    const char* cats[] = {"a", "b \"q\"", "é\\\n\x01", "", "z"};
    for (int i = 0; i < 3000; ++i) {
      double x = g(rng) * (i % 2 ? 1 : -1);
      if (i == 7) x = -0.0;
      if (i == 8) x = 1e300;
      if (i == 9) x = 5e-324;
      Record r = Row(x, i % 7 * 0.1, cats[i % 5], g(rng));
      if (i % 5 == 3) r.fields[2].state = ValueState::kEmpty;
      if (i % 97 == 0) r.fields[0].state = ValueState::kNull;
      b.Add(r);
    }
    return std::move(b).Build();
  }

  BaselineFile File() {
    BaselineFile f;
    f.model = "m";
    f.creator = "modelwatch test";
    f.created = "2026-11-28T00:00:00Z";
    f.reference_path = "/ref.jsonl";
    f.reference_format = "rows";
    f.baseline = Reference();
    TargetProfile t;
    t.name = "label";
    t.profile.type = FeatureType::kCategorical;
    t.profile.categorical = drift::BuildCategoricalReference({"0", "1", "1"}, 50);
    t.profile.states[0] = 3;
    t.profile.states[1] = f.baseline.rows - 3;
    f.target = t;
    return f;
  }

  Result<LoadedBaseline> RoundTrip(const BaselineFile& f) {
    return ParseBaselineFile(SerializeBaselineFile(model_, f), model_, "b.json");
  }

  std::string TempDir() {
    std::string p = (std::filesystem::temp_directory_path() / "baseline-test-XXXXXX").string();
    EXPECT_NE(mkdtemp(p.data()), nullptr);
    return p;
  }

  config::ModelConfig model_;
};

TEST_F(BaselineFileTest, RoundTripIsBitIdentical) {
  const BaselineFile f = File();
  auto r = RoundTrip(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const engine::Baseline& a = f.baseline;
  const engine::Baseline& b = r.value().file.baseline;
  EXPECT_EQ(b.rows, a.rows);
  ASSERT_EQ(b.fields.size(), a.fields.size());
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(b.fields[i].states, a.fields[i].states);
    const auto &p = a.fields[i].numeric, &q = b.fields[i].numeric;
    EXPECT_EQ(q.count, p.count);
    EXPECT_EQ(q.distinct, p.distinct);
    EXPECT_EQ(Bits(q.min), Bits(p.min));
    EXPECT_EQ(Bits(q.max), Bits(p.max));
    EXPECT_EQ(Bits(q.mean), Bits(p.mean));
    EXPECT_EQ(Bits(q.std), Bits(p.std));
    EXPECT_TRUE(SameBits(q.sorted, p.sorted));
    EXPECT_TRUE(SameBits(q.bins.fine_edges, p.bins.fine_edges));
    EXPECT_TRUE(SameBits(q.bins.coarse_ref_share, p.bins.coarse_ref_share));
    EXPECT_EQ(q.bins.coarse_of_fine, p.bins.coarse_of_fine);
    EXPECT_EQ(q.bins.coarse_names, p.bins.coarse_names);
    const auto &c = a.fields[i].categorical, &d = b.fields[i].categorical;
    EXPECT_EQ(d.categories, c.categories);
    EXPECT_TRUE(SameBits(d.coarse_ref_share, c.coarse_ref_share));
    EXPECT_EQ(d.all, c.all);
  }
  EXPECT_EQ(a.fields[2].categorical.all.count("é\\\n\x01"), 1u);  // escaping survived
  ASSERT_TRUE(r.value().file.target.has_value());
  EXPECT_EQ(r.value().file.target->profile.categorical.all.at("1"), 2);
  EXPECT_TRUE(r.value().warnings.empty());
}

TEST_F(BaselineFileTest, DiscreteValuesAreStoredAsRuns) {
  const std::string text = SerializeBaselineFile(model_, File());
  EXPECT_NE(text.find("\"value_runs\":[[0.0,"), std::string::npos);
  EXPECT_NE(text.find("\"format\":\"modelwatch-baseline\",\"format_version\":1"),
            std::string::npos);
}

TEST_F(BaselineFileTest, RowsAndTheirBaselineFileGiveIdenticalScores) {
  auto raw = engine::ModelEngine::Create(model_, Reference());
  auto loaded = RoundTrip(File());
  ASSERT_TRUE(raw.ok() && loaded.ok());
  auto from_file = engine::ModelEngine::Create(model_, loaded.value().file.baseline);
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  std::mt19937 rng(9);
  std::lognormal_distribution<double> g(0.3, 2);
  for (int i = 0; i < 500; ++i) {
    Record r = Row(g(rng), i % 9 * 0.1, i % 3 ? "a" : "new", g(rng));
    raw.value()->OnRecord(r, 1000);
    from_file.value()->OnRecord(r, 1000);
  }
  const auto a = raw.value()->Evaluate(1000).windows[0];
  const auto b = from_file.value()->Evaluate(1000).windows[0];
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a.fields[i].scored, b.fields[i].scored);
    EXPECT_EQ(Bits(a.fields[i].score), Bits(b.fields[i].score));
    ASSERT_EQ(a.fields[i].extra.size(), b.fields[i].extra.size());
    for (std::size_t k = 0; k < a.fields[i].extra.size(); ++k) {
      EXPECT_EQ(Bits(a.fields[i].extra[k].score), Bits(b.fields[i].extra[k].score));
    }
  }
  EXPECT_TRUE(a.fields[0].scored);
  EXPECT_EQ(a.fields[0].extra.size(), 4u);  // wasserstein, kl, js, hellinger (linf: categorical)
}

TEST_F(BaselineFileTest, BinsAreRebuiltWithTheModelsCurrentSettings) {
  const std::string text = SerializeBaselineFile(model_, File());
  model_.settings.drift.bin_count = 4;
  auto r = ParseBaselineFile(text, model_, "b.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().file.baseline.fields[0].numeric.bins.coarse_bin_count(), 4 + 2);
}

TEST_F(BaselineFileTest, WritesAtomicallyAndLeavesNoTemporaryFile) {
  const std::string dir = TempDir(), path = dir + "/b.json";
  const BaselineFile f = File();
  ASSERT_TRUE(WriteBaselineFile(path, model_, f).ok());
  ASSERT_TRUE(WriteBaselineFile(path, model_, f).ok());  // replaces
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  EXPECT_TRUE(IsBaselineFile(path));
  auto r = ReadBaselineFile(path, model_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().file.creator, "modelwatch test");
  std::filesystem::remove_all(dir);
}

TEST_F(BaselineFileTest, WriteIntoAMissingDirectoryFailsNamingThePath) {
  Status s = WriteBaselineFile("/nonexistent/dir/b.json", model_, File());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/dir/b.json"), std::string::npos) << s.message();
}

TEST_F(BaselineFileTest, MissingFileAndRowsFileAreNotBaselines) {
  auto r = ReadBaselineFile("/nonexistent/b.json", model_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("No such file"), std::string::npos) << r.status().message();
  const std::string dir = TempDir();
  std::ofstream(dir + "/rows.jsonl") << "{\"x\": 1}\n";
  EXPECT_FALSE(IsBaselineFile(dir + "/rows.jsonl"));
  std::filesystem::remove_all(dir);
}

// The message of loading `text` (which must fail).
std::string Error(const Result<LoadedBaseline>& r) {
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().message();
}

TEST_F(BaselineFileTest, TruncatedFileIsRejected) {
  const std::string text = SerializeBaselineFile(model_, File());
  const std::string e = Error(ParseBaselineFile(text.substr(0, text.size() / 2), model_, "b.json"));
  EXPECT_NE(e.find("b.json: not valid JSON"), std::string::npos) << e;
  EXPECT_EQ(Error(ParseBaselineFile("\n", model_, "b.json")), "b.json: empty file");
}

TEST_F(BaselineFileTest, OtherVersionOrFormatIsRejected) {
  std::string text = SerializeBaselineFile(model_, File());
  std::string v2 = text;
  v2.replace(v2.find("\"format_version\":1"), 18, "\"format_version\":2");
  EXPECT_NE(Error(ParseBaselineFile(v2, model_, "b")).find("format_version 2 is not supported"),
            std::string::npos);
  EXPECT_NE(Error(ParseBaselineFile("{\"format\":\"other\"}", model_, "b"))
                .find("not a modelwatch baseline file"),
            std::string::npos);
}

TEST_F(BaselineFileTest, MissingOrRetypedFieldsAreNamed) {
  const std::string text = SerializeBaselineFile(model_, File());
  model_.features.push_back(Field("new_one", FeatureType::kNumeric));
  model_.outputs[0].type = FeatureType::kCategorical;
  const std::string e = Error(ParseBaselineFile(text, model_, "b.json"));
  EXPECT_NE(e.find("b.json: no feature new_one"), std::string::npos) << e;
  EXPECT_NE(e.find("b.json: output y is categorical in the model but numeric in the file"),
            std::string::npos)
      << e;
}

TEST_F(BaselineFileTest, EditedValuesAreDetected) {
  std::string text = SerializeBaselineFile(model_, File());
  const std::size_t at = text.find("\"values\":[") + 10;
  text.insert(at, "-1e308,");  // one more, smaller value: the count no longer matches
  EXPECT_NE(Error(ParseBaselineFile(text, model_, "b")).find("more values than count"),
            std::string::npos);
  text = SerializeBaselineFile(model_, File());
  const std::size_t mean = text.find("\"mean\":") + 7;
  text.replace(mean, text.find(',', mean) - mean, "12345.5");  // another mean
  EXPECT_NE(Error(ParseBaselineFile(text, model_, "b")).find("feature x: its distinct/min/max"),
            std::string::npos);
}

TEST_F(BaselineFileTest, ShapeErrorsNameThePlace) {
  std::string text = SerializeBaselineFile(model_, File());
  text.replace(text.find("\"count\":"), 8, "\"count\":-");
  const std::string e = Error(ParseBaselineFile(text, model_, "b"));
  EXPECT_NE(e.find("fields[0] (x).count: expected a non-negative integer"), std::string::npos) << e;
}

TEST_F(BaselineFileTest, ChangedPathsAndUnconfiguredFieldsAreWarnings) {
  const std::string text = SerializeBaselineFile(model_, File());
  model_.features[0].path = "/x";
  model_.features.pop_back();  // e
  auto r = ParseBaselineFile(text, model_, "b");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r.value().warnings.size(), 2u);
  EXPECT_EQ(r.value().warnings[0], "b: feature x had path /inputs/x when written");
  EXPECT_EQ(r.value().warnings[1], "b: field e is not configured and is ignored");
}

}  // namespace
}  // namespace modelwatch::state
