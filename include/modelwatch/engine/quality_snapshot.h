// LabelsView: what a snapshot holds about ground truth and model quality (interface.md §4.5),
// built by GroundTruth::Evaluate. Immutable once published, like the rest of the Snapshot.
#ifndef MODELWATCH_ENGINE_QUALITY_SNAPSHOT_H_
#define MODELWATCH_ENGINE_QUALITY_SNAPSHOT_H_

#include <cstdint>
#include <string>
#include <vector>

#include <modelwatch/engine/label_join.h>
#include <modelwatch/engine/quality_metrics.h>
#include <modelwatch/engine/snapshot.h>

namespace modelwatch::engine {

struct QualityWindow {
  std::string label;                     // as configured in ground_truth.windows
  std::int64_t labeled = 0;              // joined rows credited to the window
  std::vector<QualityMetric> realised;   // empty below ground_truth.min_samples
  std::int64_t estimated_rows = 0;       // predictions CBPE saw in the window
  std::vector<QualityMetric> estimated;  // CBPE; empty below min_samples or uncalibrated
  bool drift_scored = false;             // label drift: labeled >= min_samples, a reference
  double drift_score = 0;
  double drift_threshold = 0;
  bool drift_detected = false;
};

struct LabelsView {
  SourceView source;  // source = "labels"; the tailer's fields filled by the pipeline
  JoinCounters counters;
  std::uint64_t invalid_labels = 0;  // label value missing or of the wrong type
  // ground_truth.source: predictions: labels come in the prediction lines; predictions whose
  // line had no label (missing or null) are unlabeled_missing.
  bool in_line = false;
  std::uint64_t unlabeled_missing = 0;
  std::uint64_t pending_predictions = 0;
  std::uint64_t pending_labels = 0;
  // modelwatch_label_delay_seconds: label time − prediction time, per upper bound (non-cumulative;
  // the last entry is +Inf), with sum and count.
  std::vector<double> delay_bounds;
  std::vector<std::uint64_t> delay_buckets;
  double delay_sum = 0;
  std::uint64_t delay_count = 0;
  std::vector<QualityMetric> reference;  // the reference rows' quality; empty without
  const char* drift_method = "";         // label drift's resolved method; "" without a target
  std::vector<QualityWindow> windows;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_QUALITY_SNAPSHOT_H_
