// Private to src/engine: GroundTruth's state (ground_truth.cc evaluates, ground_truth_persist.cc
// saves and loads it).
#ifndef MODELWATCH_SRC_ENGINE_GROUND_TRUTH_IMPL_H_
#define MODELWATCH_SRC_ENGINE_GROUND_TRUTH_IMPL_H_

#include <modelwatch/drift/methods.h>
#include <modelwatch/drift/p_values.h>
#include <modelwatch/drift/score.h>
#include <modelwatch/engine/ground_truth.h>
#include <modelwatch/engine/quality_metrics.h>
#include <modelwatch/window/window_ring.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <utility>

namespace modelwatch::engine {

using config::DriftMethod;
using config::Task;

namespace ground_truth_detail {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// modelwatch_label_delay_seconds: 1s to 1 week.
constexpr double kDelayBounds[] = {1,    10,    60,    300,   900,    1800,  3600,
                                   7200, 21600, 43200, 86400, 259200, 604800};
constexpr int kBinaryClassCap = 8;
constexpr int kMulticlassClassCap = 64;

// Class names -> indices: a capped table, the last index is __other__. A lookup compares with
// the last hit first, then scans (a handful of classes); it allocates only for a new class.
class ClassTable {
 public:
  explicit ClassTable(int cap) : cap_(cap) { names_.reserve(static_cast<std::size_t>(cap)); }
  int size() const { return cap_ + 1; }  // with __other__
  int Lookup(std::string_view name) {
    const auto n = names_.size();
    if (last_ < n && names_[last_] == name) return static_cast<int>(last_);
    for (std::size_t i = 0; i < n; ++i) {
      if (names_[i] == name) {
        last_ = i;
        return static_cast<int>(i);
      }
    }
    if (n < static_cast<std::size_t>(cap_)) {
      names_.emplace_back(name);
      return static_cast<int>(n);
    }
    return cap_;
  }
  std::size_t named() const { return names_.size(); }
  int cap() const { return cap_; }
  void Reset(std::vector<std::string> names) {
    names_ = std::move(names);
    last_ = 0;
  }
  const std::string& Name(int i) const {
    static const std::string kOther = "__other__";
    return i < static_cast<int>(names_.size()) ? names_[static_cast<std::size_t>(i)] : kOther;
  }

 private:
  int cap_;
  std::vector<std::string> names_;
  std::size_t last_ = 0;
};

}  // namespace ground_truth_detail

using namespace ground_truth_detail;

struct GroundTruth::Impl {
  config::GroundTruthConfig gt;
  config::ModelSettings settings;
  bool one_shot = false;
  bool event_time = true;
  int prediction_index = -1;
  int score_index = -1;
  QualityShape shape;
  ClassTable classes{kBinaryClassCap};
  IsotonicCalibrator calibrator;
  std::optional<FieldBaseline> target;
  std::vector<int> class_bin;  // class index -> the target's drift bin
  DriftMethod drift_method = DriftMethod::kJensenShannon;
  double drift_threshold = 0;
  std::vector<window::WindowRing<QualityBucket>> rings;
  std::vector<QualityBucket*> scratch;
  double longest = 0;
  double newest_prediction = 0;
  bool has_newest_prediction = false;
  std::vector<QualityMetric> reference_metrics;
  // Label source counters and the delay histogram.
  std::uint64_t lines = 0;
  std::array<std::uint64_t, kRejectReasons> rejected{};
  std::uint64_t invalid_labels = 0;
  bool has_newest_label = false;
  double newest_label = 0;
  std::array<std::uint64_t, std::size(kDelayBounds) + 1> delay{};
  double delay_sum = 0;
  std::uint64_t delay_count = 0;
  // ground_truth.source: predictions: each prediction's label is its Record::label, credited
  // at once (GroundTruth::InLine); predictions whose line has none are counted here.
  bool in_line = false;
  std::uint64_t unlabeled_missing = 0;
  // `prediction` names a type: probabilities output: its scores start at proba_offset in
  // Record::probabilities, one per class; proba_class[c] is class c's index in `classes`.
  // Binary: proba_positive is positive_class's slot (its score is the score without `score`).
  bool proba = false;
  std::size_t proba_offset = 0;
  std::vector<int> proba_class;
  int proba_positive = -1;

  int ClassOf(std::string_view name) {
    const int c = classes.Lookup(name);
    while (class_bin.size() <= static_cast<std::size_t>(c)) {
      const std::size_t i = class_bin.size();
      int bin = -1;
      if (target && target->type == config::FeatureType::kCategorical) {
        bin = target->categorical.Bin(classes.Name(static_cast<int>(i)));
      }
      class_bin.push_back(bin);
    }
    return c;
  }

  // The buckets of every quality window at time t (null where the ring no longer holds t).
  // Empty when t is too far in the future (the daemon's max_future_skew).
  const std::vector<QualityBucket*>& BucketsAt(double t, double now) {
    scratch.clear();
    if (!one_shot && t > now + settings.max_future_skew) return scratch;
    for (auto& r : rings) scratch.push_back(r.At(t));
    return scratch;
  }

  void FillWindow(std::size_t w, double T, QualityBucket* merged, QualityWindow* out) const;
  // The prediction's class index (classification) or value (regression) and its score (NaN
  // when none); false when the record has no usable prediction.
  bool ReadPrediction(const Record& record, double* predicted, double* score);
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_SRC_ENGINE_GROUND_TRUTH_IMPL_H_
