// `features: { infer: { under, max } }`: features and types taken from the reference, the same
// for the daemon's pipeline, `check` and `baseline`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>

#include "app/baseline_command.h"
#include "app/cli.h"
#include "app/pipeline.h"
#include "app/reference.h"

namespace modelwatch::app {
namespace {

using config::FeatureType;

class InferFeaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string p = (std::filesystem::temp_directory_path() / "infer-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(p.data()), nullptr);
    dir_ = p;
    std::ofstream ref(dir_ + "/ref.jsonl");
    for (int i = 0; i < 300; ++i) {  // three features, one output, the target
      ref << "{\"zeta\":" << i % 17 << ",\"amount\":" << i * 0.5 << ",\"country\":\""
          << (i % 2 ? "US" : "DE") << "\",\"score\":0." << i % 10 << ",\"t\":\"yes\"}\n";
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  config::ModelConfig Load(const std::string& infer, const std::string& reference) {
    std::ofstream(dir_ + "/cfg.yaml")
        << "models:\n  - name: m\n    source: { paths: [cur.jsonl] }\n"
           "    record: { timestamp: { path: /ts } }\n"
           "    features: { infer: "
        << infer
        << " }\n"
           "    outputs:\n      - { name: score, path: /out/score, type: numeric }\n"
           "    reference: "
        << reference << "\n";
    auto loaded = config::LoadConfigFile(dir_ + "/cfg.yaml");
    EXPECT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
    return loaded.config ? loaded.config->models[0] : config::ModelConfig{};
  }

  std::string dir_;
};

TEST_F(InferFeaturesTest, RowKeysBecomeFeaturesWithTypesAndPathsUnderThePointer) {
  config::ModelConfig m = Load("{ under: /in, max: 100 }", "{ path: ref.jsonl, target: t }");
  auto warnings = InferModelFeatures(&m);
  ASSERT_TRUE(warnings.ok()) << warnings.status().message();
  EXPECT_TRUE(warnings.value().empty());
  ASSERT_EQ(m.features.size(), 3u);  // not score (an output) nor t (the target)
  EXPECT_EQ(m.features[0].name, "amount");
  EXPECT_EQ(m.features[0].path, "/in/amount");
  EXPECT_EQ(m.features[0].type, FeatureType::kNumeric);
  EXPECT_EQ(m.features[1].name, "country");
  EXPECT_EQ(m.features[1].type, FeatureType::kCategorical);
  EXPECT_EQ(m.features[2].name, "zeta");
  EXPECT_FALSE(m.infer_features.has_value());
}

TEST_F(InferFeaturesTest, KeepsTheFirstMaxByNameAndWarnsAboutTheRest) {
  config::ModelConfig m = Load("{ under: /in, max: 2 }", "{ path: ref.jsonl, target: t }");
  auto warnings = InferModelFeatures(&m);
  ASSERT_TRUE(warnings.ok());
  ASSERT_EQ(m.features.size(), 2u);
  EXPECT_EQ(m.features[1].name, "country");
  ASSERT_EQ(warnings.value().size(), 1u);
  EXPECT_NE(warnings.value()[0].find("1 more keys past max 2 are ignored: 'zeta'"),
            std::string::npos)
      << warnings.value()[0];
}

TEST_F(InferFeaturesTest, LogReferenceReadsTheKeysUnderThePointer) {
  std::ofstream(dir_ + "/log.jsonl")
      << "{\"ts\":1,\"in\":{\"a/b\":1,\"k\":\"x\"},\"out\":{\"score\":1}}\n"
         "{\"ts\":2,\"in\":{\"k\":2,\"bad key\":1,\"o\":{}}}\n";
  config::ModelConfig m = Load("{ under: /in }", "{ path: log.jsonl, format: log }");
  auto warnings = InferModelFeatures(&m);
  ASSERT_TRUE(warnings.ok()) << warnings.status().message();
  ASSERT_EQ(m.features.size(), 1u);  // "a/b" and "bad key" are not field names, "o" an object
  EXPECT_EQ(m.features[0].name, "k");
  EXPECT_EQ(m.features[0].path, "/in/k");
  EXPECT_EQ(m.features[0].type, FeatureType::kCategorical);
  ASSERT_EQ(warnings.value().size(), 2u);
  EXPECT_NE(warnings.value()[0].find("1 keys hold objects or arrays"), std::string::npos);
  EXPECT_NE(warnings.value()[1].find("2 keys are not usable as feature names"), std::string::npos);
  EXPECT_NE(warnings.value()[1].find(": 'a/b', 'bad key'"), std::string::npos)
      << warnings.value()[1];
}

TEST_F(InferFeaturesTest, KeysAtOrAboveARecordPointerAreLeftOut) {
  std::ofstream(dir_ + "/log.jsonl") << "{\"ts\":1,\"x\":2,\"out\":{\"score\":1}}\n";
  config::ModelConfig m = Load("{ under: \"\" }", "{ path: log.jsonl, format: log }");
  ASSERT_TRUE(InferModelFeatures(&m).ok());
  ASSERT_EQ(m.features.size(), 1u);  // not ts (the timestamp) nor out (above an output)
  EXPECT_EQ(m.features[0].path, "/x");
}

TEST_F(InferFeaturesTest, FailsWhenTheReferenceCannotBeRead) {
  config::ModelConfig m = Load("{ under: /in }", "{ path: missing.jsonl }");
  auto r = InferModelFeatures(&m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("model m: features.infer: "), std::string::npos);
}

TEST_F(InferFeaturesTest, ThePipelineMonitorsTheInferredFeatures) {
  std::ofstream(dir_ + "/cur.jsonl")
      << "{\"ts\":\"2026-11-28T00:00:00Z\",\"in\":{\"amount\":3,\"country\":\"US\",\"zeta\":1},"
         "\"out\":{\"score\":0.5}}\n";
  config::ModelConfig m = Load("{ under: /in }", "{ path: ref.jsonl, target: t }");
  auto fs = tail::MakeRealFileSystem();
  auto p = ModelPipeline::Create(m, *fs, /*one_shot=*/true);
  ASSERT_TRUE(p.ok()) << p.status().message();
  p.value()->Poll(2e9);
  const engine::ModelSnapshot s = p.value()->Evaluate(p.value()->engine().newest_event_time());
  ASSERT_EQ(s.fields.size(), 4u);
  EXPECT_EQ(s.fields[1].name, "country");
  EXPECT_EQ(s.fields[1].type, FeatureType::kCategorical);
  EXPECT_EQ(s.fields[1].states_total[0], 1u);  // read from /in/country
  EXPECT_EQ(s.fields[3].name, "score");
}

TEST_F(InferFeaturesTest, ABaselineFileWrittenWithInferenceGivesTheSameFeatures) {
  Load("{ under: /in }", "{ path: ref.jsonl, target: t }");
  BaselineOptions o;
  o.config_path = dir_ + "/cfg.yaml";
  o.out = dir_ + "/base.json";
  ASSERT_EQ(BaselineCommand(o), kExitOk);
  config::ModelConfig m = Load("{ under: /in }", "{ baseline: base.json }");
  ASSERT_TRUE(InferModelFeatures(&m).ok());
  ASSERT_EQ(m.features.size(), 3u);
  EXPECT_EQ(m.features[1].name, "country");
  EXPECT_EQ(m.features[1].path, "/in/country");
  EXPECT_EQ(m.features[1].type, FeatureType::kCategorical);
  std::uint64_t rejected = 0;
  auto baseline = LoadBaseline(m, &rejected);
  ASSERT_TRUE(baseline.ok()) << baseline.status().message();
  EXPECT_EQ(baseline.value().fields.size(), 4u);
}

}  // namespace
}  // namespace modelwatch::app
