// Ground truth from log shapes (issue #8): labels in the prediction line
// (ground_truth.source: predictions) are credited exactly as the same labels in a label log
// joined by id would be; a label log read through ground_truth.record.decode / .batch joins like
// its flat equivalent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include <modelwatch/engine/ground_truth.h>
#include <modelwatch/engine/quality_snapshot.h>

#include "app/check_labels.h"
#include "app/label_pipeline.h"
#include "app/pipeline.h"

namespace modelwatch::app {
namespace {

class InLineLabelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string p = (std::filesystem::temp_directory_path() / "inline-labels-XXXXXX").string();
    ASSERT_NE(mkdtemp(p.data()), nullptr);
    dir_ = p;
    std::ofstream ref(dir_ + "/ref.jsonl");
    for (int i = 0; i < 200; ++i) ref << "{\"x\":" << i % 17 << "}\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }

  // Loads `models` (the YAML of one model under `models:`) and reads its files once.
  engine::ModelSnapshot Run(const std::string& model_yaml) {
    Write("cfg.yaml", "defaults: { windows: [1h] }\nmodels:\n" + model_yaml);
    auto loaded = config::LoadConfigFile(dir_ + "/cfg.yaml");
    EXPECT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
    if (!loaded.errors.empty()) return {};
    std::unique_ptr<tail::FileSystem> fs = tail::MakeRealFileSystem();
    auto p = ModelPipeline::Create(loaded.config->models[0], *fs, /*one_shot=*/true);
    EXPECT_TRUE(p.ok()) << p.status().message();
    if (!p.ok()) return {};
    p.value()->Poll(2e9);
    return p.value()->Evaluate(p.value()->engine().newest_event_time());
  }

  // The same quality, counters and delays (sums within rounding).
  static void ExpectSameCredit(const engine::LabelsView& a, const engine::LabelsView& b) {
    EXPECT_EQ(a.counters.labels + a.invalid_labels, b.counters.labels + b.invalid_labels);
    EXPECT_EQ(a.counters.joined, b.counters.joined);
    EXPECT_EQ(a.counters.unmatched_unknown, b.counters.unmatched_unknown);
    EXPECT_EQ(a.invalid_labels, b.invalid_labels);
    EXPECT_EQ(a.delay_buckets, b.delay_buckets);
    EXPECT_EQ(a.delay_count, b.delay_count);
    EXPECT_DOUBLE_EQ(a.delay_sum, b.delay_sum);
    ASSERT_EQ(a.windows.size(), b.windows.size());
    for (std::size_t w = 0; w < a.windows.size(); ++w) {
      EXPECT_EQ(a.windows[w].labeled, b.windows[w].labeled);
      ASSERT_EQ(a.windows[w].realised.size(), b.windows[w].realised.size());
      for (std::size_t i = 0; i < a.windows[w].realised.size(); ++i) {
        EXPECT_STREQ(a.windows[w].realised[i].name, b.windows[w].realised[i].name);
        EXPECT_NEAR(a.windows[w].realised[i].value, b.windows[w].realised[i].value, 1e-12)
            << a.windows[w].realised[i].name;
      }
      EXPECT_EQ(a.windows[w].drift_scored, b.windows[w].drift_scored);
      EXPECT_NEAR(a.windows[w].drift_score, b.windows[w].drift_score, 1e-12);
    }
  }

  std::string dir_;
};

// Binary with a score: 300 predictions, 1 s apart; a label in the line for most, null or absent
// for some, "" (invalid) for a few; the flat twin has the labels in a log of their own.
TEST_F(InLineLabelsTest, CreditedExactlyLikeAJoinedLabelLog) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  std::ofstream inline_log(dir_ + "/inline.jsonl"), flat(dir_ + "/flat.jsonl"),
      labels(dir_ + "/labels.jsonl");
  int labelled = 0, missing = 0, invalid = 0;
  for (int i = 0; i < 300; ++i) {
    const double s = u(rng);
    const std::string ts = std::to_string(1795824000 + 2 * i);  // 10 minutes
    const std::string pred = s >= 0.5 ? "yes" : "no";
    const std::string y = u(rng) < s ? "yes" : "no";
    std::string common = "{\"ts\":" + ts + ",\"id\":\"q" + std::to_string(i) +
                         "\",\"x\":" + std::to_string(i % 17) + ",\"score\":" + std::to_string(s) +
                         ",\"label\":\"" + pred + "\"";
    flat << common << "}\n";
    if (i % 23 == 4) {
      inline_log << common << ",\"y\":null}\n";
      ++missing;
    } else if (i % 29 == 5) {
      inline_log << common << "}\n";
      ++missing;
    } else if (i % 31 == 6) {
      inline_log << common << ",\"y\":\"\"}\n";
      labels << "{\"ts\":" << ts << ",\"id\":\"q" << i << "\",\"y\":\"\"}\n";
      ++invalid;
    } else {
      inline_log << common << ",\"y\":\"" << y << "\"}\n";
      labels << "{\"ts\":" << ts << ",\"id\":\"q" << i << "\",\"y\":\"" << y << "\"}\n";
      ++labelled;
    }
  }
  inline_log.close();
  flat.close();
  labels.close();
  const std::string model =
      "  - name: m\n"
      "    source: { paths: [%LOG%] }\n"
      "    record: { timestamp: { path: /ts, format: unix_seconds }, request_id: /id }\n"
      "    features: [ { name: x, path: /x } ]\n"
      "    outputs:\n"
      "      - { name: score, path: /score }\n"
      "      - { name: predicted, path: /label, type: categorical }\n"
      "    reference: { path: ref.jsonl }\n"
      "    ground_truth:\n"
      "      source: %SOURCE%\n"
      "      record: %RECORD%\n"
      "      prediction: predicted\n"
      "      score: score\n"
      "      positive_class: 'yes'\n"
      "      windows: [5m, 1h]\n"
      "      min_samples: 20\n";
  auto with = [&](std::string log, std::string source, std::string record) {
    std::string m = model;
    for (auto [k, v] : std::map<std::string, std::string>{
             {"%LOG%", log}, {"%SOURCE%", source}, {"%RECORD%", record}}) {
      m.replace(m.find(k), k.size(), v);
    }
    return m;
  };
  const engine::ModelSnapshot a = Run(with("inline.jsonl", "predictions", "{ label: /y }"));
  const engine::ModelSnapshot b = Run(with("flat.jsonl", "{ paths: [labels.jsonl] }",
                                           "{ request_id: /id, label: /y, timestamp: /ts }"));
  ASSERT_TRUE(a.labels && b.labels);
  const engine::LabelsView& x = *a.labels;
  ExpectSameCredit(x, *b.labels);
  // What moved: labels and joins +1 each, delay 0, nothing held.
  EXPECT_TRUE(x.in_line);
  EXPECT_EQ(x.counters.labels, static_cast<std::uint64_t>(labelled));
  EXPECT_EQ(x.counters.joined, static_cast<std::uint64_t>(labelled));
  EXPECT_EQ(x.invalid_labels, static_cast<std::uint64_t>(invalid));
  EXPECT_EQ(x.unlabeled_missing, static_cast<std::uint64_t>(missing));
  EXPECT_EQ(x.pending_predictions, 0u);
  EXPECT_EQ(x.pending_labels, 0u);
  EXPECT_EQ(x.delay_buckets[0], static_cast<std::uint64_t>(labelled));  // le=1
  EXPECT_EQ(x.delay_sum, 0);
  EXPECT_EQ(x.source.lines, 0u);  // no label log
  // The flat twin holds the unlabelled predictions instead.
  EXPECT_EQ(b.labels->pending_predictions + b.labels->counters.unlabeled_ttl,
            static_cast<std::uint64_t>(missing + invalid));
  ASSERT_EQ(x.windows.size(), 2u);
  EXPECT_EQ(x.windows[1].labeled, labelled);
  ASSERT_GE(x.windows[1].realised.size(), 5u);  // accuracy .. f1, roc_auc, log_loss, brier
  EXPECT_STREQ(x.windows[1].realised[4].name, "roc_auc");
  EXPECT_GT(x.windows[0].labeled, 0);
  EXPECT_LT(x.windows[0].labeled, labelled);  // the 5m window: its predictions only
}

// record.batch: one label per row from an array, the predicted class the argmax of a
// type: probabilities output (a vector, or an object class -> score); a label on a row without a
// usable prediction is unmatched as unknown_request, as in a label log.
TEST_F(InLineLabelsTest, BatchRowsWithProbabilities) {
  Write("batch.jsonl",
        // 3 rows: argmax b, c, a; labels b, a, null.
        "{\"ts\":1795824000,\"id\":\"r0\",\"rows\":[{\"x\":1},{\"x\":2},{\"x\":3}],"
        "\"p\":[[0.1,0.8,0.1],{\"a\":0.2,\"c\":0.7},[0.5,0.2,0.3]],\"t\":[\"b\",\"a\",null]}\n"
        // 2 rows: argmax a (ties go to the first), no usable scores; labels a, c.
        "{\"ts\":1795824001,\"id\":\"r1\",\"rows\":[{\"x\":4},{\"x\":5}],"
        "\"p\":[[0.4,0.4,0.2],[null,\"x\",null]],\"t\":[\"a\",\"c\"]}\n"
        // 1 row: argmax c; label c.
        "{\"ts\":1795824002,\"id\":\"r2\",\"rows\":[{\"x\":6}],\"p\":[[0,0,1]],\"t\":[\"c\"]}\n");
  const engine::ModelSnapshot s =
      Run("  - name: m\n"
          "    source: { paths: [batch.jsonl] }\n"
          "    record:\n"
          "      timestamp: { path: /ts, format: unix_seconds }\n"
          "      request_id: /id\n"
          "      batch: { path: /rows }\n"
          "    features: [ { name: x, path: 0/x } ]\n"
          "    outputs:\n"
          "      - { name: p, path: \"/p/{index}\", type: probabilities, classes: [a, b, c] }\n"
          "    reference: { path: ref.jsonl }\n"
          "    ground_truth:\n"
          "      source: predictions\n"
          "      record: { label: \"/t/{index}\" }\n"
          "      task: multiclass_classification\n"
          "      prediction: p\n"
          "      windows: [1h]\n"
          "      min_samples: 1\n");
  ASSERT_TRUE(s.labels);
  const engine::LabelsView& v = *s.labels;
  EXPECT_EQ(v.counters.labels, 5u);  // b, a, a, c, c
  EXPECT_EQ(v.counters.joined, 4u);  // r1's second row has no prediction
  EXPECT_EQ(v.counters.unmatched_unknown, 1u);
  EXPECT_EQ(v.unlabeled_missing, 1u);  // r0's third row
  ASSERT_EQ(v.windows.size(), 1u);
  EXPECT_EQ(v.windows[0].labeled, 4);
  ASSERT_FALSE(v.windows[0].realised.empty());
  EXPECT_STREQ(v.windows[0].realised[0].name, "accuracy");
  // (b,b) right, (c,a) wrong, (a,a) right, (c,c) right.
  EXPECT_DOUBLE_EQ(v.windows[0].realised[0].value, 0.75);
}

// Regression: the in-line label is read as a number (numbers in strings with the parse key).
TEST_F(InLineLabelsTest, RegressionLabelsAreNumbers) {
  Write("reg.jsonl",
        "{\"ts\":1795824000,\"x\":1,\"yhat\":2.0,\"y\":2.5}\n"
        "{\"ts\":1795824001,\"x\":2,\"yhat\":4.0,\"y\":\"3\"}\n"
        "{\"ts\":1795824002,\"x\":3,\"yhat\":1.0,\"y\":\"n/a\"}\n"
        "{\"ts\":1795824003,\"x\":4,\"yhat\":1.0}\n");
  const engine::ModelSnapshot s =
      Run("  - name: m\n"
          "    parse: { numbers_in_strings: true }\n"
          "    source: { paths: [reg.jsonl] }\n"
          "    record: { timestamp: { path: /ts, format: unix_seconds } }\n"
          "    features: [ { name: x, path: /x } ]\n"
          "    outputs: [ { name: yhat, path: /yhat } ]\n"
          "    reference: { path: ref.jsonl }\n"
          "    ground_truth:\n"
          "      source: predictions\n"
          "      record: { label: /y }\n"
          "      task: regression\n"
          "      prediction: yhat\n"
          "      windows: [1h]\n"
          "      min_samples: 1\n");
  ASSERT_TRUE(s.labels);
  const engine::LabelsView& v = *s.labels;
  EXPECT_EQ(v.counters.joined, 2u);
  EXPECT_EQ(v.invalid_labels, 1u);     // "n/a"
  EXPECT_EQ(v.unlabeled_missing, 1u);  // no y
  ASSERT_FALSE(v.windows[0].realised.empty());
  EXPECT_STREQ(v.windows[0].realised[0].name, "mae");
  EXPECT_DOUBLE_EQ(v.windows[0].realised[0].value, (0.5 + 1.0) / 2);
}

// SageMaker's ground-truth file: the label a CSV (or BASE64 CSV) string decoded into rows, one
// label per row of a multi-row request (ids "<id>-item-<i>"), joins like a flat label log.
TEST_F(InLineLabelsTest, LabelLogThroughDecodeAndBatch) {
  Write("preds.jsonl",
        "{\"ts\":1795824000,\"id\":\"e0\",\"rows\":[[1],[2]],\"out\":[\"1\",\"0\"]}\n"
        "{\"ts\":1795824001,\"id\":\"e1\",\"rows\":[[3]],\"out\":[\"1\"]}\n"
        "{\"ts\":1795824002,\"id\":\"e2\",\"rows\":[[4]],\"out\":[\"0\"]}\n");
  Write("gt.jsonl",
        "{\"groundTruthData\":{\"data\":\"1\\n1\",\"encoding\":\"CSV\"},"
        "\"eventMetadata\":{\"eventId\":\"e0\"}}\n"
        "{\"groundTruthData\":{\"data\":\"MA==\",\"encoding\":\"BASE64\"},"
        "\"eventMetadata\":{\"eventId\":\"e1\"}}\n"
        "{\"groundTruthData\":{\"data\":\"0\",\"encoding\":\"CSV\"},"
        "\"eventMetadata\":{\"eventId\":\"e2\"}}\n"
        "{\"groundTruthData\":{\"data\":\"*not base64*\",\"encoding\":\"BASE64\"},"
        "\"eventMetadata\":{\"eventId\":\"e3\"}}\n");
  const engine::ModelSnapshot s =
      Run("  - name: m\n"
          "    source: { paths: [preds.jsonl] }\n"
          "    record:\n"
          "      timestamp: { path: /ts, format: unix_seconds }\n"
          "      request_id: /id\n"
          "      batch: { path: /rows }\n"
          "    features: [ { name: x, path: 0/0 } ]\n"
          "    outputs: [ { name: out, path: \"/out/{index}\", type: categorical } ]\n"
          "    reference: { path: ref.jsonl }\n"
          "    ground_truth:\n"
          "      source: { paths: [gt.jsonl] }\n"
          "      record:\n"
          "        request_id: /eventMetadata/eventId\n"
          "        decode:\n"
          "          - { path: /groundTruthData/data, as: auto,"
          " encoding: /groundTruthData/encoding }\n"
          "        batch: { path: /groundTruthData/data }\n"
          "        label: 0/0\n"
          "      task: binary_classification\n"
          "      positive_class: '1'\n"
          "      prediction: out\n"
          "      windows: [1h]\n"
          "      min_samples: 1\n");
  ASSERT_TRUE(s.labels);
  const engine::LabelsView& v = *s.labels;
  EXPECT_EQ(v.source.lines, 4u);  // lines, not rows
  EXPECT_EQ(v.source.rejected[static_cast<int>(engine::RejectReason::kInvalidJson)], 1u);
  EXPECT_EQ(v.counters.labels, 4u);  // e0-item-0, e0-item-1, e1, e2
  EXPECT_EQ(v.counters.joined, 4u);
  ASSERT_FALSE(v.windows[0].realised.empty());
  // (1,1) right, (1,0) wrong, (0,1) wrong, (0,0) right.
  EXPECT_DOUBLE_EQ(v.windows[0].realised[0].value, 0.5);
}

// Save/Load carries the in-line counter (state version 3).
TEST_F(InLineLabelsTest, CheckpointKeepsTheUnlabelledCount) {
  Write("cfg.yaml",
        "models:\n"
        "  - name: m\n"
        "    source: { paths: [p.jsonl] }\n"
        "    record: { timestamp: { path: /ts, format: unix_seconds } }\n"
        "    outputs: [ { name: c, path: /c, type: categorical } ]\n"
        "    reference: { path: ref.jsonl }\n"
        "    ground_truth:\n"
        "      source: predictions\n"
        "      record: { label: /y }\n"
        "      task: multiclass_classification\n"
        "      prediction: c\n");
  auto loaded = config::LoadConfigFile(dir_ + "/cfg.yaml");
  ASSERT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
  const config::ModelConfig& model = loaded.config->models[0];
  auto a = engine::GroundTruth::Create(model, nullptr, {}, false).value();
  Record r;
  r.fields.resize(1);
  r.probabilities.clear();
  r.has_timestamp = true;
  r.timestamp = 1795824000;
  r.fields[0] = {ValueState::kValid, 0, "x"};
  r.label = {ValueState::kNull, 0, {}};
  a->OnPrediction(r, r.timestamp);
  r.label = {ValueState::kValid, 0, "x"};
  a->OnPrediction(r, r.timestamp);
  std::string saved;
  a->Save(saved);
  auto b = engine::GroundTruth::Create(model, nullptr, {}, false).value();
  ASSERT_TRUE(b->Load(saved).ok());
  const auto v = b->Evaluate(r.timestamp);
  EXPECT_EQ(v->unlabeled_missing, 1u);
  EXPECT_EQ(v->counters.joined, 1u);
  EXPECT_EQ(v->delay_count, 1u);
}

// `modelwatch check --labels` reads flat logs only: it says so instead of reporting nothing.
TEST_F(InLineLabelsTest, CheckLabelsRefusesShapedLabels) {
  for (const char* gt : {"      source: predictions\n"
                         "      record: { label: /y }\n",
                         "      source: { paths: [gt.jsonl] }\n"
                         "      record: { request_id: /id, label: /g/0/0,"
                         " decode: [{ path: /g, as: csv }] }\n"}) {
    Write("cfg.yaml", std::string("models:\n"
                                  "  - name: m\n"
                                  "    source: { paths: [p.jsonl] }\n"
                                  "    record: { timestamp: { path: /ts }, request_id: /id }\n"
                                  "    outputs: [ { name: c, path: /c, type: categorical } ]\n"
                                  "    reference: { path: ref.jsonl }\n"
                                  "    ground_truth:\n") +
                          gt +
                          "      task: multiclass_classification\n"
                          "      prediction: c\n");
    auto loaded = config::LoadConfigFile(dir_ + "/cfg.yaml");
    ASSERT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
    auto r = CheckLabels(loaded.config->models[0], Reference{}, dir_ + "/p.jsonl",
                         CurrentFormat::kLog, dir_ + "/gt.jsonl");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("run --one-shot"), std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace modelwatch::app
