// ModelPipeline: one model's path from files to statistics: Tailer -> RecordParser ->
// ModelEngine. Owned and driven by one thread (the daemon's ingest loop or one-shot).
#ifndef MODELWATCH_APP_PIPELINE_H_
#define MODELWATCH_APP_PIPELINE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>
#include <modelwatch/engine/model_engine.h>
#include <modelwatch/parse/envelope.h>
#include <modelwatch/parse/record_parser.h>
#include <modelwatch/parse/shaped_parser.h>
#include <modelwatch/state/baseline_file.h>
#include <modelwatch/tail/file_system.h>
#include <modelwatch/tail/line_sink.h>
#include <modelwatch/tail/tailer.h>

namespace modelwatch::app {

class LabelPipeline;

// Reads the model's reference (reference.path: rows or log lines; reference.baseline: a
// `modelwatch baseline` file, same numbers) into a Baseline; warnings are logged. Fails when the
// file cannot be read or a baseline file does not fit the model; rejected reference lines are
// skipped, counted in *rejected_lines and logged.
// With `target`, the reference target's profile is kept there (absent without one).
Result<engine::Baseline> LoadBaseline(const config::ModelConfig& model,
                                      std::uint64_t* rejected_lines,
                                      std::optional<state::TargetProfile>* target = nullptr);

// The model as the pipeline runs it: with `features: { infer }`, the features found in its
// reference (InferModelFeatures; warnings and a summary logged); else a copy.
Result<config::ModelConfig> ResolveFeatures(const config::ModelConfig& model);

// The `reason` of a line the parser rejected.
engine::RejectReason ToReject(parse::ParseOutcome outcome);

struct SharedTail;

class ModelPipeline final : public tail::LineSink, private parse::ShapedParser::Sink {
 public:
  // one_shot: read every file from byte 0 and apply the one-shot window rules. The model's
  // features are resolved first (ResolveFeatures).
  // persistent: keep a committed copy of the engine for Evaluate(T, true).
  static Result<std::unique_ptr<ModelPipeline>> Create(const config::ModelConfig& model,
                                                       tail::FileSystem& fs, bool one_shot,
                                                       bool persistent = false);
  ~ModelPipeline() override;

  // Reads whatever is new in every file; `now` is the arrival time of the lines read.
  void Poll(double now);
  // Evaluates the windows ending at T and fills the source statistics from the tailer. With
  // `committed`, the aggregates and source counters are those of the last Commit (persistence:
  // what a checkpoint holds), the gauges (files, lag) live.
  engine::ModelSnapshot Evaluate(double T, bool committed = false) const;

  // Persistence (reliability.md §State). The positions of the prediction log's files.
  std::vector<tail::FilePosition> Positions() const { return tailer().Positions(); }
  // Before the first Poll.
  void RestorePositions(std::vector<tail::FilePosition> positions);
  void SetStartAt(tail::StartAt start_at);
  // The label log's positions (ground_truth); empty, and ignored, without it.
  std::vector<tail::FilePosition> LabelPositions() const;
  void RestoreLabelPositions(std::vector<tail::FilePosition> positions);
  // The engine's aggregates and the source counters, as one blob; with ground_truth, the join
  // and label counters follow (engine::GroundTruth::Save). The quality windows' rows and the
  // label tailer's byte counters are not in it: after a restart they count from the checkpoint's
  // pending joins on. Evaluate(T, true) shows the labels live.
  void SaveAggregates(std::string* out) const;
  // Replaces both (live and committed) with a saved blob; fails without changing anything.
  Result<engine::ModelEngine::LoadReport> LoadAggregates(std::string_view bytes);
  // Makes `bytes` (a SaveAggregates blob just written to a checkpoint) what Evaluate(T, true)
  // reports.
  Status Commit(std::string_view bytes);
  // Moves another pipeline's state of the same model into this one (a reload): positions,
  // aggregates matched by window and field, committed state and source counters.
  void TakeStateFrom(const ModelPipeline& old);
  const engine::ModelEngine& engine() const { return *engine_; }
  // Files currently matched and open.
  std::size_t files() const { return tailer().Files().size(); }
  // The ground-truth path (label tailer, join, quality); null without `ground_truth`.
  LabelPipeline* labels() { return labels_.get(); }

  void OnLine(const Line& line) override;
  void OnLineTooLong() override;

  // Log shapes: models whose `source` is the same read one Tailer (the first of them polls it
  // and hands every line to each; `match` picks a model's lines). Call once, after Create.
  static void ShareSources(const std::vector<std::unique_ptr<ModelPipeline>>& pipelines,
                           tail::FileSystem& fs);

 private:
  ModelPipeline() = default;
  const tail::Tailer& tailer() const;
  tail::Tailer& mutable_tailer();
  void OnShaped(const Line& line);
  void PollShared(double now);
  void OnShapedRecord(const Record& record) override;
  void OnShapedReject(parse::ParseOutcome outcome) override;
  void OnFiltered() override;
  void OnUnpaired(bool request) override;

  // Log shapes (issue #8); all null/false with none of the keys set.
  std::unique_ptr<parse::ShapedParser> shaped_;
  std::unique_ptr<parse::EnvelopeReader> envelope_;
  std::shared_ptr<SharedTail> shared_;
  bool nan_literals_ = false;
  bool has_filtered_ = false;
  bool has_pair_ = false;
  bool one_shot_ = false;
  std::string nan_text_;
  std::uint64_t lines_ = 0;
  std::uint64_t filtered_ = 0;
  std::uint64_t unpaired_[2] = {0, 0};  // response, request
  config::SourceConfig source_;

  std::unique_ptr<parse::RecordParser> parser_;
  std::unique_ptr<engine::ModelEngine> engine_;
  std::unique_ptr<tail::Tailer> tailer_;
  // Persistence: the engine as of the last checkpoint, and the source counters with it.
  std::unique_ptr<engine::ModelEngine> committed_;
  tail::TailerStats base_;  // counters of earlier runs (restored) and of reloads
  tail::TailerStats committed_totals_;
  tail::TailerStats Totals() const;        // base_ + the tailer's counters
  std::unique_ptr<LabelPipeline> labels_;  // label_pipeline.h
  Record record_;
  double now_ = 0;
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_PIPELINE_H_
