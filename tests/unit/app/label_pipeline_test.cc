#include "app/label_pipeline.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <modelwatch/engine/quality_snapshot.h>

#include "app/pipeline.h"

namespace modelwatch::app {
namespace {

// A model with ground truth over two real files, predictions.jsonl and labels.jsonl.
class LabelPipelineTest : public ::testing::Test {
 protected:
  static constexpr double kT0 = 1795824000;
  void SetUp() override {
    std::string p = (std::filesystem::temp_directory_path() / "labels-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(p.data()), nullptr);
    dir_ = p;
    std::ofstream ref(dir_ + "/ref.jsonl");
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 3000; ++i) {
      const double s = u(rng);
      ref << "{\"x\":" << i % 50 << ",\"score\":" << s << ",\"predicted\":\""
          << (s >= 0.5 ? "yes" : "no") << "\",\"target\":\"" << (u(rng) < s ? "yes" : "no")
          << "\"}\n";
    }
    std::ofstream(dir_ + "/cfg.yaml")
        << "defaults: { windows: [10m] }\n"
           "models:\n"
           "  - name: m\n"
           "    source: { paths: [predictions.jsonl] }\n"
           "    record: { timestamp: { path: /ts, format: unix_seconds }, request_id: /id }\n"
           "    features: [ { name: x, path: /x, type: numeric } ]\n"
           "    outputs:\n"
           "      - { name: score, path: /score, type: numeric }\n"
           "      - { name: predicted, path: /label, type: categorical }\n"
           "    reference: { path: ref.jsonl, target: target }\n"
           "    ground_truth:\n"
           "      source: { paths: [labels.jsonl] }\n"
           "      record: { request_id: /id, label: /y, timestamp: /ts }\n"
           "      prediction: predicted\n"
           "      score: score\n"
           "      positive_class: 'yes'\n"
           "      join_ttl: 2m\n"
           "      windows: [5m, 30m]\n"
           "      min_samples: 20\n";
    auto loaded = config::LoadConfigFile(dir_ + "/cfg.yaml");
    ASSERT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
    model_ = loaded.config->models[0];
    // 1,200 predictions 1 s apart; labels 0..200 s late (beyond the 2m TTL for some), 10 % never,
    // written in label-time order.
    std::ofstream preds(dir_ + "/predictions.jsonl.src");
    std::vector<std::pair<double, std::string>> labels;
    for (int i = 0; i < 1200; ++i) {
      const double s = u(rng);
      const double ts = kT0 + i;
      preds << "{\"ts\":" << static_cast<long long>(ts) << ",\"id\":\"q" << i
            << "\",\"x\":" << i % 50 << ",\"score\":" << s << ",\"label\":\""
            << (s >= 0.5 ? "yes" : "no") << "\"}\n";
      if (u(rng) < 0.1) continue;
      const double lt = ts + std::floor(u(rng) * 200);
      labels.emplace_back(lt, "{\"ts\":" + std::to_string(static_cast<long long>(lt)) +
                                  ",\"id\":\"q" + std::to_string(i) + "\",\"y\":\"" +
                                  (u(rng) < s ? "yes" : "no") + "\"}\n");
    }
    std::stable_sort(labels.begin(), labels.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::ofstream lab(dir_ + "/labels.jsonl.src");
    for (const auto& [t, line] : labels) lab << line;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // One-shot: `first` appears and is read, then `second`.
  std::unique_ptr<ModelPipeline> Read(const std::string& first, const std::string& second) {
    std::filesystem::remove(dir_ + "/predictions.jsonl");
    std::filesystem::remove(dir_ + "/labels.jsonl");
    auto p = ModelPipeline::Create(model_, *fs_, /*one_shot=*/true);
    EXPECT_TRUE(p.ok()) << p.status().message();
    std::filesystem::copy_file(dir_ + "/" + first + ".src", dir_ + "/" + first);
    p.value()->Poll(2e9);
    std::filesystem::copy_file(dir_ + "/" + second + ".src", dir_ + "/" + second);
    p.value()->Poll(2e9);
    return std::move(p).value();
  }
  engine::ModelSnapshot RunInOrder(const std::string& first, const std::string& second) {
    auto p = Read(first, second);
    return p->Evaluate(p->engine().newest_event_time());
  }

  std::unique_ptr<tail::FileSystem> fs_ = tail::MakeRealFileSystem();

  std::string dir_;
  config::ModelConfig model_;
};

TEST_F(LabelPipelineTest, OneShotJoinsTheSameWhicheverFileIsReadFirst) {
  const engine::ModelSnapshot a = RunInOrder("predictions.jsonl", "labels.jsonl");
  const engine::ModelSnapshot b = RunInOrder("labels.jsonl", "predictions.jsonl");
  ASSERT_TRUE(a.labels && b.labels);
  const engine::LabelsView& x = *a.labels;
  const engine::LabelsView& y = *b.labels;
  EXPECT_EQ(x.source.lines, y.source.lines);
  EXPECT_GT(x.counters.joined, 600u);
  EXPECT_LT(x.counters.joined, x.counters.labels);  // some labels came after the TTL
  EXPECT_EQ(x.counters.joined, y.counters.joined);
  EXPECT_EQ(x.counters.labels, y.counters.labels);
  EXPECT_EQ(x.counters.unmatched_unknown + x.pending_labels,
            y.counters.unmatched_unknown + y.pending_labels);
  EXPECT_EQ(x.counters.unlabeled_ttl + x.pending_predictions,
            y.counters.unlabeled_ttl + y.pending_predictions);
  EXPECT_EQ(x.delay_buckets, y.delay_buckets);
  ASSERT_EQ(x.windows.size(), 2u);
  for (std::size_t w = 0; w < x.windows.size(); ++w) {
    EXPECT_EQ(x.windows[w].labeled, y.windows[w].labeled);
    ASSERT_EQ(x.windows[w].realised.size(), y.windows[w].realised.size());
    for (std::size_t i = 0; i < x.windows[w].realised.size(); ++i) {
      // The same rows, summed in another order (log loss, Brier): equal to rounding.
      EXPECT_NEAR(x.windows[w].realised[i].value, y.windows[w].realised[i].value, 1e-12);
    }
  }
}

TEST_F(LabelPipelineTest, LabelsAreCreditedAtTheirPredictionsTime) {
  const engine::ModelSnapshot s = RunInOrder("predictions.jsonl", "labels.jsonl");
  // T is the last prediction's time (kT0 + 1199): the 5m window holds predictions from
  // kT0 + 900 on, and only those labelled count there, however late their labels came.
  const engine::LabelsView& v = *s.labels;
  EXPECT_EQ(v.windows[0].label, "5m");
  EXPECT_GT(v.windows[0].labeled, 150);
  EXPECT_LT(v.windows[0].labeled, 300);
  EXPECT_EQ(static_cast<std::uint64_t>(v.windows[1].labeled), v.counters.joined);
  ASSERT_FALSE(v.windows[1].realised.empty());
  EXPECT_STREQ(v.windows[1].realised[0].name, "accuracy");
  ASSERT_FALSE(v.windows[1].estimated.empty());
  EXPECT_NEAR(v.windows[1].estimated[0].value, v.windows[1].realised[0].value, 0.05);
  EXPECT_FALSE(v.reference.empty());
}

TEST_F(LabelPipelineTest, JoinStateSurvivesASaveAndLoadBetweenPredictionsAndLabels) {
  std::filesystem::copy_file(dir_ + "/predictions.jsonl.src", dir_ + "/predictions.jsonl");
  std::unique_ptr<tail::FileSystem> fs = tail::MakeRealFileSystem();
  auto p = ModelPipeline::Create(model_, *fs, /*one_shot=*/true);
  ASSERT_TRUE(p.ok());
  p.value()->Poll(2e9);
  std::string block;
  p.value()->labels()->ground_truth().join().Save(block);
  // A restart: a fresh pipeline whose join is loaded from the block, then the labels arrive.
  std::filesystem::remove(dir_ + "/predictions.jsonl");
  auto q = ModelPipeline::Create(model_, *fs, /*one_shot=*/true);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q.value()->labels()->ground_truth().join().Load(block).ok());
  std::filesystem::copy_file(dir_ + "/labels.jsonl.src", dir_ + "/labels.jsonl");
  q.value()->Poll(2e9);
  p.value()->Poll(2e9);
  const auto a = p.value()->Evaluate(kT0 + 1199);
  const auto b = q.value()->Evaluate(kT0 + 1199);
  EXPECT_GT(a.labels->counters.joined, 600u);
  EXPECT_EQ(a.labels->counters.joined, b.labels->counters.joined);
}

TEST_F(LabelPipelineTest, GroundTruthStateRoundTripsAndRejectsWhatItDidNotWrite) {
  std::filesystem::copy_file(dir_ + "/predictions.jsonl.src", dir_ + "/predictions.jsonl");
  std::filesystem::copy_file(dir_ + "/labels.jsonl.src", dir_ + "/labels.jsonl");
  std::unique_ptr<tail::FileSystem> fs = tail::MakeRealFileSystem();
  auto p = ModelPipeline::Create(model_, *fs, /*one_shot=*/true);
  ASSERT_TRUE(p.ok());
  p.value()->Poll(2e9);
  std::string block;
  p.value()->labels()->ground_truth().Save(block);
  auto q = ModelPipeline::Create(model_, *fs, /*one_shot=*/true);
  ASSERT_TRUE(q.ok());
  engine::GroundTruth& g = q.value()->labels()->ground_truth();
  for (std::size_t n = 0; n < block.size(); n += 7) {
    EXPECT_FALSE(g.Load(std::string_view(block).substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(g.Load(block + "?").ok());
  ASSERT_TRUE(g.Load(block).ok());
  const auto a = p.value()->labels()->Evaluate(kT0 + 1199);
  const auto b = q.value()->labels()->Evaluate(kT0 + 1199);
  EXPECT_EQ(a->source.lines, b->source.lines);
  EXPECT_EQ(a->counters.joined, b->counters.joined);
  EXPECT_EQ(a->pending_predictions, b->pending_predictions);
  EXPECT_EQ(a->delay_buckets, b->delay_buckets);
  std::string again;
  g.Save(again);
  EXPECT_EQ(again.size(), block.size());  // the same entries (their order follows the table)
}

// 100,000 predictions (8 MB) and their labels, 0-60 s late, with max_pending 50,000: read one
// file after the other, half the predictions would be evicted before their labels came; read
// together in event time, none is.
TEST_F(LabelPipelineTest, OneShotReadsBothLogsInTimeSoTheBoundsHoldOnlyAboutATtl) {
  {
    std::ofstream preds(dir_ + "/predictions.jsonl");
    std::ofstream labs(dir_ + "/labels.jsonl");
    for (int i = 0; i < 100000; ++i) {
      const long long ts = static_cast<long long>(kT0) + i;
      preds << "{\"ts\":" << ts << ",\"id\":\"p" << i << "\",\"x\":" << i % 50
            << ",\"score\":0.75,\"label\":\"yes\"}\n";
      if (i >= 60) {
        // Labels at time ts for predictions 1-60 s older, in a scrambled order.
        const int j = i - 1 - (i * 7) % 60;
        labs << "{\"ts\":" << ts << ",\"id\":\"p" << j << "\",\"y\":\"yes\"}\n";
      }
    }
  }
  model_.ground_truth->max_pending = 50000;
  std::unique_ptr<tail::FileSystem> fs = tail::MakeRealFileSystem();
  auto p = ModelPipeline::Create(model_, *fs, /*one_shot=*/true);
  ASSERT_TRUE(p.ok());
  p.value()->Poll(2e9);
  const engine::ModelSnapshot s = p.value()->Evaluate(p.value()->engine().newest_event_time());
  const engine::JoinCounters& c = s.labels->counters;
  EXPECT_EQ(c.labels, 99940u);
  EXPECT_EQ(c.unlabeled_evicted, 0u);
  EXPECT_EQ(c.unmatched_evicted, 0u);
  EXPECT_EQ(c.joined + c.unmatched_duplicate, 99940u);
}

// A restart keeps the realised and estimated quality of the windows, not only the pending joins
// and the counters: the ground truth's checkpoint block holds the quality buckets.
TEST_F(LabelPipelineTest, ACheckpointKeepsTheQualityWindows) {
  auto p = Read("predictions.jsonl", "labels.jsonl");
  const double T = p->engine().newest_event_time();
  const engine::ModelSnapshot before = p->Evaluate(T);
  std::string block;
  p->labels()->ground_truth().Save(block);

  auto q = ModelPipeline::Create(model_, *fs_, /*one_shot=*/true);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_TRUE(q.value()->labels()->ground_truth().Load(block).ok());
  const engine::ModelSnapshot after = q.value()->Evaluate(T);
  ASSERT_TRUE(before.labels && after.labels);
  const engine::LabelsView& x = *before.labels;
  const engine::LabelsView& y = *after.labels;
  EXPECT_EQ(x.counters.joined, y.counters.joined);
  ASSERT_EQ(x.windows.size(), y.windows.size());
  for (std::size_t w = 0; w < x.windows.size(); ++w) {
    EXPECT_GT(x.windows[w].labeled, 100);
    EXPECT_EQ(x.windows[w].labeled, y.windows[w].labeled);
    ASSERT_EQ(x.windows[w].realised.size(), y.windows[w].realised.size());
    for (std::size_t i = 0; i < x.windows[w].realised.size(); ++i) {
      EXPECT_EQ(x.windows[w].realised[i].value, y.windows[w].realised[i].value);
    }
    ASSERT_EQ(x.windows[w].estimated.size(), y.windows[w].estimated.size());
    ASSERT_FALSE(y.windows[w].estimated.empty());
    for (std::size_t i = 0; i < x.windows[w].estimated.size(); ++i) {
      EXPECT_EQ(x.windows[w].estimated[i].value, y.windows[w].estimated[i].value);
    }
  }

  // A version 1 block (written before the windows were saved: it ends with the join) still
  // loads, with its counters and empty windows.
  std::string join;
  p->labels()->ground_truth().join().Save(join);
  const std::size_t at = block.find(join);
  ASSERT_NE(at, std::string::npos);
  std::string v1 = block.substr(0, at + join.size());
  const std::uint32_t one = 1;
  std::memcpy(v1.data() + 4, &one, sizeof one);
  auto r = ModelPipeline::Create(model_, *fs_, /*one_shot=*/true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.value()->labels()->ground_truth().Load(v1).ok());
  const engine::ModelSnapshot old = r.value()->Evaluate(T);
  EXPECT_EQ(old.labels->counters.joined, x.counters.joined);
  EXPECT_EQ(old.labels->windows[0].labeled, 0);

  // Every truncation is refused and leaves the state as it was.
  for (std::size_t n = 0; n < block.size(); n += 97) {
    EXPECT_FALSE(
        r.value()->labels()->ground_truth().Load(std::string_view(block).substr(0, n)).ok())
        << n;
  }
  EXPECT_EQ(r.value()->Evaluate(T).labels->counters.joined, x.counters.joined);
}

}  // namespace
}  // namespace modelwatch::app
