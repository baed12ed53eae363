// Loading valid files: defaults, per-model overrides, path resolution, the shipped examples.
#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

#include "unit/config/config_test_util.h"

namespace modelwatch::config {
namespace {

using testing::Load;
using testing::LoadOk;
using testing::ValidModel;
using testing::With;

const std::string kConfigDir = std::string(MODELWATCH_SOURCE_DIR) + "/config";

TEST(LoaderTest, MinimalModelGetsDocumentedDefaults) {
  Config c = LoadOk(ValidModel());
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_EQ(c.server.listen_address, ":10100");
  EXPECT_EQ(c.tick_interval, 1);
  EXPECT_EQ(c.max_series, 10000u);
  const ModelSettings& s = c.models[0].settings;
  ASSERT_EQ(s.windows.size(), 3u);
  EXPECT_EQ(s.windows[2].label, "24h");
  EXPECT_EQ(s.drift.method, DriftMethod::kAuto);
  EXPECT_EQ(c.models[0].source.max_line_bytes, 1024u * 1024);
  EXPECT_EQ(c.models[0].features[0].type, FeatureType::kNumeric);
}

TEST(LoaderTest, TopLevelSectionsAreRead) {
  Config c =
      LoadOk(With(ValidModel(), {"server: { listen_address: ':9', idle_timeout: 2m }",
                                 "engine: { tick_interval: 250ms }", "limits: { max_series: 5 }",
                                 "log: { level: debug, format: json }",
                                 "state: { checkpoint_interval: 1m, on_corrupt: end }"}));
  EXPECT_EQ(c.server.listen_address, ":9");
  EXPECT_EQ(c.server.idle_timeout, 120);
  EXPECT_EQ(c.tick_interval, 0.25);
  EXPECT_EQ(c.max_series, 5u);
  EXPECT_EQ(c.log.level, "debug");
  EXPECT_EQ(c.log.format, "json");
  EXPECT_EQ(c.state.on_corrupt, OnCorrupt::kEnd);
}

TEST(LoaderTest, DefaultsSectionAppliesToEveryModel) {
  Config c = LoadOk(With(ValidModel(), {"defaults:", "  windows: [90s, 2h]",
                                        "  drift: { method: psi, base: 2, min_samples: 7 }"}));
  const ModelSettings& s = c.models.at(0).settings;
  ASSERT_EQ(s.windows.size(), 2u);
  EXPECT_EQ(s.windows[0].label, "90s");
  EXPECT_EQ(s.windows[0].seconds, 90);
  EXPECT_EQ(s.drift.method, DriftMethod::kPsi);
  EXPECT_EQ(s.drift.js_base, 2);
  EXPECT_EQ(s.drift.min_samples, 7);
}

TEST(LoaderTest, ModelOverridesMergeKeyByKey) {
  Config c = LoadOk(With(ValidModel(), {"    drift: { method: ks, thresholds: { ks: 0.01 } }",
                                        "    split_by_version: true", "defaults:",
                                        "  drift: { thresholds: { psi: 0.2 }, min_samples: 9 }"}));
  const DriftConfig& d = c.models.at(0).settings.drift;
  EXPECT_EQ(d.method, DriftMethod::kKs);
  EXPECT_EQ(d.ThresholdFor(DriftMethod::kKs), 0.01);
  EXPECT_EQ(d.ThresholdFor(DriftMethod::kPsi), 0.2);  // kept from defaults
  EXPECT_EQ(d.min_samples, 9);                        // kept from defaults
  EXPECT_TRUE(c.models[0].settings.split_by_version);
}

TEST(LoaderTest, RelativePathsResolveAgainstTheFilesDirectory) {
  Config c = LoadOk(With(
      ValidModel(), {"    process: { pid_file: ../run/m.pid }", "state: { directory: state }"}));
  EXPECT_EQ(c.file, "/etc/mw/c.yaml");
  EXPECT_EQ(c.models[0].source.paths[0], "/etc/mw/logs/a.jsonl");
  EXPECT_EQ(c.models[0].reference.path, "/etc/mw/ref.jsonl");
  EXPECT_EQ(c.models[0].process->pid_file, "/etc/run/m.pid");
  EXPECT_EQ(c.state.directory, "/etc/mw/state");
  EXPECT_EQ(c.models[0].source.exclude[0], "*.gz");  // patterns stay as written
}

TEST(LoaderTest, AbsolutePathsAndGlobsStayAsWritten) {
  auto lines = ValidModel();
  lines[2] = "    source: { paths: ['/var/log/p.jsonl*', 'x/*.jsonl'] }";
  Config c = LoadOk(lines);
  EXPECT_EQ(c.models[0].source.paths[0], "/var/log/p.jsonl*");
  EXPECT_EQ(c.models[0].source.paths[1], "/etc/mw/x/*.jsonl");
}

TEST(LoaderTest, FeatureDetailsAreRead) {
  auto lines = ValidModel();
  lines[5] =
      "      - { name: x, path: /a~1b, range: { min: 1, max: 2 }, drift: { method: kl, "
      "threshold: 0.3 } }";
  lines.insert(lines.begin() + 6,
               "      - { name: c, path: /c, type: categorical, "
               "expose_categories: hash }");
  Config c = LoadOk(lines);
  const FeatureConfig& x = c.models.at(0).features.at(0);
  EXPECT_EQ(x.path, "/a~1b");
  EXPECT_EQ(x.range->max, 2);
  EXPECT_EQ(x.drift_method, DriftMethod::kKl);
  EXPECT_EQ(x.drift_threshold, 0.3);
  EXPECT_EQ(c.models[0].features.at(1).expose_categories, ExposeCategories::kHash);
}

TEST(LoaderTest, InferredFeaturesAreAccepted) {
  auto lines = ValidModel();
  lines[4] = "    features: { infer: { under: /inputs, max: 20 } }";
  lines[5] = "    outputs: [{ name: y, path: /y }]";
  Config c = LoadOk(lines);
  ASSERT_TRUE(c.models.at(0).infer_features.has_value());
  EXPECT_EQ(c.models[0].infer_features->under, "/inputs");
  EXPECT_EQ(c.models[0].infer_features->max, 20);
}

TEST(LoaderTest, RecordFieldsAndUnitAliasesAreRead) {
  auto lines = ValidModel();
  lines[3] =
      "    record: { timestamp: { path: /t, format: unix_millis }, request_id: /id, "
      "latency: { path: /l, unit: us, objective: 1s, buckets: [0.5, 1] } }";
  Config c = LoadOk(lines);
  const RecordConfig& r = c.models.at(0).record;
  EXPECT_EQ(r.timestamp->format, TimestampFormat::kUnixMillis);
  EXPECT_EQ(r.request_id, "/id");
  EXPECT_EQ(r.latency->unit, LatencyUnit::kMicroseconds);
  EXPECT_EQ(r.latency->objective_seconds, 1);
  EXPECT_EQ(r.latency->buckets, (std::vector<double>{0.5, 1}));
}

TEST(LoaderTest, GroundTruthAndBaselinePathsResolveToo) {
  auto lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: /ts }, request_id: /id }";
  lines[6] = "    reference: { baseline: b/base.json }";
  Config c = LoadOk(With(lines, {"    outputs: [{ name: p, path: /p, type: categorical }]",
                                 "    ground_truth: { source: { paths: [labels/*.jsonl] }, record: "
                                 "{ request_id: /id, label: /y }, prediction: p, join_ttl: 2h, "
                                 "positive_class: 'yes' }",
                                 "server: { web_config_file: web.yml }"}));
  const ModelConfig& m = c.models.at(0);
  EXPECT_EQ(m.reference.baseline, "/etc/mw/b/base.json");
  EXPECT_EQ(m.ground_truth->source.paths.at(0), "/etc/mw/labels/*.jsonl");
  EXPECT_EQ(m.ground_truth->join_ttl, 7200);
  EXPECT_EQ(c.server.web_config_file, "/etc/mw/web.yml");
}

TEST(LoaderTest, ExampleFileLoadsWithoutErrors) {
  LoadResult r = LoadConfigFile(kConfigDir + "/modelwatch.example.yaml");
  for (const ConfigError& e : r.errors) ADD_FAILURE() << e.ToString();
  ASSERT_TRUE(r.config.has_value());
  const ModelConfig& m = r.config->models.at(0);
  EXPECT_EQ(m.features.size(), 4u);
  EXPECT_EQ(m.ground_truth->prediction, "predicted");
  EXPECT_EQ(m.record.latency->objective_seconds, 0.25);
  EXPECT_EQ(m.cost_per_hour->amount, 3.06);
}

TEST(LoaderTest, ExampleFileStatesTheBuiltInDefaults) {
  Config c = *LoadConfigFile(kConfigDir + "/modelwatch.example.yaml").config;
  Config d = LoadOk(ValidModel());
  const ModelSettings& a = c.models.at(0).settings;
  const ModelSettings& b = d.models.at(0).settings;
  EXPECT_EQ(a.windows.size(), b.windows.size());
  EXPECT_EQ(a.drift.bin_count, b.drift.bin_count);
  EXPECT_EQ(a.drift.thresholds, b.drift.thresholds);
  EXPECT_EQ(a.allowed_lateness, b.allowed_lateness);
  EXPECT_EQ(c.server.read_header_timeout, d.server.read_header_timeout);
  EXPECT_EQ(c.state.checkpoint_interval, d.state.checkpoint_interval);
  EXPECT_EQ(c.models[0].source.max_line_bytes, d.models[0].source.max_line_bytes);
}

TEST(LoaderTest, MinimalFileLoadsWithoutErrors) {
  LoadResult r = LoadConfigFile(kConfigDir + "/minimal.yaml");
  for (const ConfigError& e : r.errors) ADD_FAILURE() << e.ToString();
  EXPECT_TRUE(r.config.has_value());
}

TEST(LoaderTest, MissingFileIsOneErrorWithoutPosition) {
  LoadResult r = LoadConfigFile("/nonexistent/mw.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            "/nonexistent/mw.yaml: cannot read file: No such file or "
            "directory");
  EXPECT_FALSE(r.config.has_value());
}

TEST(LoaderTest, DirectoryIsUnreadable) {
  LoadResult r = LoadConfigFile("/");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 0);
  EXPECT_NE(r.errors[0].message.find("Is a directory"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::config
