// LabelPipeline: one model's ground-truth path: a Tailer over ground_truth.source (rotation and
// positions like the prediction log) -> a RecordParser with LabelLayout -> GroundTruth, which
// the ModelPipeline also feeds with every parsed prediction. Owned by the ModelPipeline's thread.
#ifndef MODELWATCH_APP_LABEL_PIPELINE_H_
#define MODELWATCH_APP_LABEL_PIPELINE_H_

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>
#include <modelwatch/engine/baseline.h>
#include <modelwatch/engine/ground_truth.h>
#include <modelwatch/parse/record_parser.h>
#include <modelwatch/parse/shaped_parser.h>
#include <modelwatch/tail/file_system.h>
#include <modelwatch/tail/line_sink.h>
#include <modelwatch/tail/tailer.h>

namespace modelwatch::app {

// The slice PollWith reads of either log at a time (and the tailers' per-Poll budget there).
inline constexpr std::uint64_t kOneShotSliceBytes = 1ull << 20;

// A source's file counters in a snapshot: files, lag and the file list from the tailer now;
// bytes, rotations, truncations and losses from `totals` (live, or the committed ones).
void FillSourceFiles(const tail::Tailer& tailer, const tail::TailerStats& totals,
                     engine::SourceView* src);

// A label line: one field (the label: categorical for classification, numeric for regression)
// at ground_truth.record.label, the request id, and the timestamp at ground_truth.record.timestamp
// read in the prediction timestamp's format (required when configured and time: event).
parse::RecordLayout LabelLayout(const config::ModelConfig& model);

// Reference rows with the target (reference.format rows and reference.target set): prediction,
// score and target per row, for the reference quality and CBPE's calibration. Empty for a
// baseline file, log references or without a target. Fails when the file cannot be read.
Result<std::vector<engine::ReferenceRow>> ReadReferenceRows(const config::ModelConfig& model);

// The label log read by the shaped parser (ground_truth.record.decode or .batch): a model whose
// record is the label log's (request id, timestamp, decode, batch) and whose one feature is the
// label (categorical, or numeric for regression), so each record's fields[0] is the label.
config::ModelConfig LabelShapedModel(const config::ModelConfig& model);

class LabelPipeline final : public tail::LineSink, private parse::ShapedParser::Sink {
 public:
  // target: the reference target's profile (from the baseline load), or null.
  static Result<std::unique_ptr<LabelPipeline>> Create(const config::ModelConfig& model,
                                                       const engine::FieldBaseline* target,
                                                       tail::FileSystem& fs, bool one_shot);

  // ground_truth.source: predictions: no label log; the labels come with OnPrediction and
  // Poll / PollWith read the prediction log only.
  bool in_line() const { return in_line_; }
  void Poll(double now);
  // --one-shot: reads the prediction log (through `predictions` into `sink`) and the label log
  // together, a slice (kOneShotSliceBytes) at a time from whichever is behind in event time,
  // until both are at their end. The join then holds about one join_ttl of each log, not a
  // whole file, so max_pending bounds a one-shot only as it bounds the daemon.
  void PollWith(tail::Tailer& predictions, tail::LineSink& sink,
                const std::function<double()>& prediction_clock, double now);
  void OnPrediction(const Record& record, double now) { ground_truth_->OnPrediction(record, now); }
  // The labels view with the label tailer's statistics.
  std::shared_ptr<const engine::LabelsView> Evaluate(double T) const;
  std::size_t files() const { return tailer_->Files().size(); }
  engine::GroundTruth& ground_truth() { return *ground_truth_; }
  tail::Tailer& tailer() { return *tailer_; }

  void OnLine(const Line& line) override;
  void OnLineTooLong() override;

 private:
  LabelPipeline() = default;
  void OnShapedRecord(const Record& record) override;
  void OnShapedReject(parse::ParseOutcome outcome) override;
  void OnFiltered() override {}                  // no `match` on a label log
  void OnUnpaired(bool /*request*/) override {}  // nor `pair`

  bool in_line_ = false;
  bool line_rejected_ = false;
  std::unique_ptr<parse::ShapedParser> shaped_;  // ground_truth.record.decode / batch
  std::unique_ptr<parse::RecordParser> parser_;
  std::unique_ptr<engine::GroundTruth> ground_truth_;
  std::unique_ptr<tail::Tailer> tailer_;
  Record record_;
  double now_ = 0;
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_LABEL_PIPELINE_H_
