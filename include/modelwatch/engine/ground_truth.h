// GroundTruth: the delayed labels of one model (statistics.md §5): predictions and labels go
// in, LabelJoin pairs them, each joined row is credited to the ground_truth.windows at its
// prediction's timestamp, and Evaluate(T) gives the quality, CBPE's estimate and label drift.
//
// Labels are Records parsed with the label layout (LabelLayout in app/ground_truth_setup.h): one
// field, the label (categorical for classification, numeric for regression), the request id and
// the timestamp. Predictions are the model's Records: the `prediction` output and the optional
// `score` output are read by index, resolved at Create. Class names map to indices through a
// small capped table (the reference target's classes first). Pure and not thread-safe: the
// ingest thread owns it, like the ModelEngine.
#ifndef MODELWATCH_ENGINE_GROUND_TRUTH_H_
#define MODELWATCH_ENGINE_GROUND_TRUTH_H_

#include <memory>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>
#include <modelwatch/core/status.h>
#include <modelwatch/engine/baseline.h>
#include <modelwatch/engine/label_join.h>
#include <modelwatch/engine/quality_snapshot.h>
#include <modelwatch/engine/snapshot.h>

namespace modelwatch::engine {

// One reference row with a target: the prediction and score outputs and the target, as text
// (classification) and number (regression; NaN when not a number). score NaN when absent.
struct ReferenceRow {
  std::string predicted;
  std::string target;
  double predicted_value = 0;
  double target_value = 0;
  double score = 0;
};

class GroundTruth {
 public:
  // target: the reference target's profile (label drift), or null. reference: rows for the
  // reference quality and CBPE's calibration (binary with a score), possibly empty.
  // Fails when ground_truth.prediction or .score names no output, or has the wrong type.
  static Result<std::unique_ptr<GroundTruth>> Create(const config::ModelConfig& model,
                                                     const FieldBaseline* target,
                                                     const std::vector<ReferenceRow>& reference,
                                                     bool one_shot);
  ~GroundTruth();

  // A parsed prediction (the model's layout); now = arrival time. With
  // ground_truth.source: predictions the record's own label (Record::label) is credited with it
  // at once: labels_total and labels_joined_total +1, delay 0, nothing pending; a missing or
  // null label leaves it unlabelled (unlabeled_missing), another invalid one counts as
  // invalid_label, a label on a line without a usable prediction as unknown_request.
  void OnPrediction(const Record& record, double now);
  // A parsed label line (the label layout).
  void OnLabel(const Record& label, double now);
  // A label log read by rows (ground_truth.record.batch): OnLabel without counting a line, for
  // each row, and the line counted once.
  void OnLabelRow(const Record& label, double now);
  void CountLabelLine();
  void OnLabelRejected(RejectReason reason);
  // The newest label time seen (0 before the first, or without label times in --one-shot).
  double newest_label_time() const;

  std::shared_ptr<LabelsView> Evaluate(double T) const;

  // The checkpoint: the class table (the join holds class indices), the label source's
  // counters, the delay histogram and the join (LabelJoin::Save), as one versioned block.
  // Load fails, leaving the state unchanged, on anything it did not write or that does not fit
  // this configuration (more classes than the table holds). The quality windows' buckets are
  // part of it (version 2): restored where the window (length, buckets) and the bucket layout
  // (task, classes, score, reference target's bins) are unchanged, left empty otherwise.
  void Save(std::string& out) const;
  Status Load(std::string_view in);

  // The join alone (LabelJoin::Save / Load).
  LabelJoin& join() { return join_; }
  const LabelJoin& join() const { return join_; }

 private:
  struct Impl;
  explicit GroundTruth(std::unique_ptr<Impl> impl, JoinLimits limits);
  void Credit(const JoinResult& r);
  void InLine(const Record& record, const JoinPrediction* prediction, double t);

  std::unique_ptr<Impl> impl_;
  LabelJoin join_;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_GROUND_TRUTH_H_
