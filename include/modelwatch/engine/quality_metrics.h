// Model quality over joined rows (statistics.md §5) as a mergeable aggregate: a confusion matrix
// over a capped class table (classification), score histograms (binned ROC AUC), sums for log
// loss, Brier and the regression errors, and CBPE's expected confusion counts over predictions.
// The metrics equal scikit-learn's on the same rows (zero_division=0), ROC AUC to the bin width.
// Pure; not thread-safe.
#ifndef MODELWATCH_ENGINE_QUALITY_METRICS_H_
#define MODELWATCH_ENGINE_QUALITY_METRICS_H_

#include <cstdint>
#include <vector>

#include <modelwatch/config/config.h>

namespace modelwatch::engine {

// What every bucket of one model looks like.
struct QualityShape {
  config::Task task = config::Task::kBinaryClassification;
  int classes = 2;         // classification: the class table's size (the last may be __other__)
  int positive = 1;        // binary: the positive class's index
  bool has_score = false;  // binary: a score output holds the positive-class probability
  int label_bins = 0;      // regression: fine bins of the reference target (label drift)
};

// Score histogram resolution for ROC AUC: pairs within one bin count as ties, so the error is
// below the share of positive-negative pairs sharing a bin (< 1e-3 for spread scores).
inline constexpr int kAucBins = 2000;
// sklearn's log_loss clipping (eps=1e-15) and MAPE's floor (np.finfo(float64).eps).
inline constexpr double kLogLossEps = 1e-15;
inline constexpr double kMapeEps = 2.220446049250313e-16;

struct QualityBucket {
  std::uint64_t labeled = 0;
  std::vector<std::uint32_t> confusion;  // [true * classes + predicted]
  std::uint64_t scored = 0;              // binary rows with a valid score
  double log_loss = 0;                   // Σ of −log(clipped p of the true class)
  double brier = 0;                      // Σ (y − score)²
  std::vector<std::uint32_t> score_pos;  // kAucBins each, when has_score
  std::vector<std::uint32_t> score_neg;
  // Regression.
  double abs_err = 0, sq_err = 0, ape = 0, sum_y = 0, sum_y2 = 0;
  std::vector<std::uint32_t> label_bins;  // reference target's fine bins
  double label_below = 0, label_above = 0;
  // CBPE: every prediction with a score, label or not.
  std::uint64_t estimated = 0;
  double tp = 0, fp = 0, fn = 0, tn = 0;

  static QualityBucket Empty(const QualityShape& shape);
  void Clear();
  void AddTo(QualityBucket* other) const;

  // One joined row. Classification: class indices (predicted may be < 0 when invalid: then
  // only nothing is added); score NaN when none. Regression: values.
  void AddClassification(const QualityShape& s, int truth, int predicted, double score);
  void AddRegression(double truth, double predicted, int label_bin);
  // CBPE: one prediction with calibrated probability p and predicted positive or not.
  void AddEstimate(double p, bool predicted_positive);
};

struct QualityMetric {
  const char* name;  // accuracy, precision, recall, f1, roc_auc, log_loss, brier, mae, ...
  double value;
};

// The realised metrics of the merged rows (none when labeled == 0). ROC AUC only with a score
// and both classes present.
std::vector<QualityMetric> RealisedMetrics(const QualityShape& shape, const QualityBucket& b);
// CBPE's accuracy, precision, recall and f1 from the expected counts (none when estimated == 0).
std::vector<QualityMetric> EstimatedMetrics(const QualityBucket& b);

// Isotonic regression of y on x (sklearn's IsotonicRegression(out_of_bounds="clip"):
// ties in x averaged, pool-adjacent-violators, linear interpolation between the fitted points).
class IsotonicCalibrator {
 public:
  IsotonicCalibrator() = default;
  // Needs two distinct x values; otherwise Fit leaves it empty (Calibrate returns its input).
  void Fit(std::vector<std::pair<double, double>> xy);
  bool empty() const { return x_.empty(); }
  double Calibrate(double x) const;

 private:
  std::vector<double> x_;
  std::vector<double> y_;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_QUALITY_METRICS_H_
