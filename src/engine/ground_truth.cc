#include <modelwatch/engine/ground_truth.h>

#include "engine/ground_truth_impl.h"

namespace modelwatch::engine {

GroundTruth::GroundTruth(std::unique_ptr<Impl> impl, JoinLimits limits)
    : impl_(std::move(impl)), join_(limits) {}
GroundTruth::~GroundTruth() = default;

Result<std::unique_ptr<GroundTruth>> GroundTruth::Create(const config::ModelConfig& model,
                                                         const FieldBaseline* target,
                                                         const std::vector<ReferenceRow>& reference,
                                                         bool one_shot) {
  if (!model.ground_truth) return Status::Error("model " + model.name + " has no ground_truth");
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.gt = *model.ground_truth;
  m.settings = model.settings;
  m.one_shot = one_shot;
  m.event_time = model.settings.time == config::TimeMode::kEvent;
  const std::string where = "model " + model.name + ": ground_truth.";
  const bool regression = m.gt.task == Task::kRegression;
  const std::size_t n_features = model.features.size();
  for (std::size_t i = 0; i < model.outputs.size(); ++i) {
    if (model.outputs[i].name == m.gt.prediction)
      m.prediction_index = static_cast<int>(n_features + i);
    if (!m.gt.score.empty() && model.outputs[i].name == m.gt.score) {
      m.score_index = static_cast<int>(n_features + i);
    }
  }
  // `prediction` may name a type: probabilities output: the predicted class is the argmax.
  const config::ProbabilitiesConfig* proba = nullptr;
  for (const config::ProbabilitiesConfig& p : model.probabilities) {
    if (m.prediction_index < 0 && p.name == m.gt.prediction) {
      proba = &p;
      break;
    }
    m.proba_offset += p.classes.size();
  }
  if (m.prediction_index < 0 && proba == nullptr) {
    return Status::Error(where + "prediction: no output named " + m.gt.prediction);
  }
  if (proba != nullptr && regression) {
    return Status::Error(where + "prediction: output " + m.gt.prediction +
                         " (type: probabilities) needs a classification task");
  }
  m.proba = proba != nullptr;
  const auto want = regression ? config::FeatureType::kNumeric : config::FeatureType::kCategorical;
  if (!m.proba &&
      model.outputs[static_cast<std::size_t>(m.prediction_index) - n_features].type != want) {
    return Status::Error(
        where + "prediction: output " + m.gt.prediction + " must be " +
        (regression ? "numeric for regression" : "categorical for classification"));
  }
  if (!m.gt.score.empty() && m.score_index < 0) {
    return Status::Error(where + "score: no output named " + m.gt.score);
  }
  if (m.score_index >= 0 &&
      model.outputs[static_cast<std::size_t>(m.score_index) - n_features].type !=
          config::FeatureType::kNumeric) {
    return Status::Error(where + "score: output " + m.gt.score + " must be numeric");
  }
  if (m.gt.task == Task::kBinaryClassification && m.gt.positive_class.empty()) {
    return Status::Error(where + "positive_class: required for binary_classification");
  }
  if (target != nullptr) m.target = *target;
  m.classes = ClassTable(m.gt.task == Task::kMulticlassClassification
                             ? std::clamp(model.settings.max_categories, 2, kMulticlassClassCap)
                             : kBinaryClassCap);
  m.shape.task = m.gt.task;
  if (!regression) {
    if (m.gt.task == Task::kBinaryClassification) m.ClassOf(m.gt.positive_class);
    if (m.target && m.target->type == config::FeatureType::kCategorical) {
      for (const std::string& c : m.target->categorical.categories) m.ClassOf(c);
    }
    if (m.proba) {
      for (std::size_t c = 0; c < proba->classes.size(); ++c) {
        m.proba_class.push_back(m.ClassOf(proba->classes[c]));
        if (m.gt.task == Task::kBinaryClassification && m.proba_class.back() == 0 &&
            m.proba_positive < 0) {
          m.proba_positive = static_cast<int>(c);
        }
      }
    }
    m.shape.classes = m.classes.size();
    m.shape.positive = m.gt.task == Task::kBinaryClassification ? 0 : -1;
    m.shape.has_score =
        m.gt.task == Task::kBinaryClassification && (m.score_index >= 0 || m.proba_positive >= 0);
  } else if (m.target && m.target->type == config::FeatureType::kNumeric &&
             m.target->numeric.count > 0) {
    m.shape.label_bins = m.target->numeric.bins.fine_bin_count();
  }

  // The reference's quality and CBPE's calibration.
  QualityBucket ref = QualityBucket::Empty(m.shape);
  std::vector<std::pair<double, double>> calibration;
  for (const ReferenceRow& r : reference) {
    if (regression) {
      if (std::isfinite(r.target_value) && std::isfinite(r.predicted_value)) {
        ref.AddRegression(r.target_value, r.predicted_value, -1);
      }
      continue;
    }
    if (r.target.empty() || r.predicted.empty()) continue;
    const int truth = m.ClassOf(r.target);
    ref.AddClassification(m.shape, truth, m.ClassOf(r.predicted), r.score);
    if (m.shape.has_score && std::isfinite(r.score)) {
      calibration.push_back({r.score, truth == m.shape.positive ? 1.0 : 0.0});
    }
  }
  if (ref.labeled > 0) m.reference_metrics = RealisedMetrics(m.shape, ref);
  m.calibrator.Fit(std::move(calibration));

  // Label drift's method: the configured one where it applies to the target, else auto.
  if (m.target) {
    const bool numeric = m.target->type == config::FeatureType::kNumeric;
    const std::int64_t n_ref = numeric ? m.target->numeric.count : m.target->categorical.count;
    const std::int64_t distinct = numeric
                                      ? m.target->numeric.distinct
                                      : static_cast<std::int64_t>(m.target->categorical.all.size());
    DriftMethod method = model.settings.drift.method;
    const bool fits =
        method != DriftMethod::kAuto && !(numeric && method == DriftMethod::kLinf) &&
        !(!numeric && (method == DriftMethod::kWasserstein || method == DriftMethod::kKs)) &&
        !(method == DriftMethod::kZ && distinct > 2) &&
        !(numeric && method == DriftMethod::kChiSquare && !m.target->numeric.bins.discrete);
    if (!fits) method = drift::ResolveAuto(m.target->type, n_ref, distinct).value();
    m.drift_method = method;
    m.drift_threshold = model.settings.drift.ThresholdFor(method);
  }

  const QualityBucket empty = QualityBucket::Empty(m.shape);
  for (const config::Window& w : m.gt.windows) {
    m.rings.emplace_back(w.seconds, model.settings.buckets_per_window, empty);
    m.longest = std::max(m.longest, w.seconds);
  }
  m.scratch.reserve(m.rings.size());
  m.in_line = m.gt.from_predictions;
  JoinLimits limits;
  limits.ttl = m.gt.join_ttl;
  limits.max_pending = std::max<std::uint64_t>(1, m.gt.max_pending);
  limits.max_pending_labels = std::max<std::uint64_t>(1, m.gt.max_pending_labels);
  limits.shared_clock = !one_shot;
  return std::unique_ptr<GroundTruth>(new GroundTruth(std::move(impl), limits));
}

bool GroundTruth::Impl::ReadPrediction(const Record& record, double* predicted, double* score) {
  *score = kNaN;
  if (proba) {  // the argmax of the configured classes' scores (the first of equal ones)
    int best = -1;
    double best_score = 0;
    for (std::size_t c = 0; c < proba_class.size(); ++c) {
      const double p = record.probabilities[proba_offset + c];
      if (std::isfinite(p) && (best < 0 || p > best_score)) {
        best = static_cast<int>(c);
        best_score = p;
      }
    }
    if (best < 0) return false;
    *predicted = proba_class[static_cast<std::size_t>(best)];
    if (proba_positive >= 0) {
      *score = record.probabilities[proba_offset + static_cast<std::size_t>(proba_positive)];
    }
  } else {
    const FieldValue& pv = record.fields[static_cast<std::size_t>(prediction_index)];
    if (pv.state != ValueState::kValid) return false;
    *predicted = shape.task == Task::kRegression ? pv.number : ClassOf(pv.text);
  }
  if (score_index >= 0) {
    const FieldValue& sv = record.fields[static_cast<std::size_t>(score_index)];
    *score = sv.state == ValueState::kValid ? sv.number : kNaN;
  }
  return true;
}

void GroundTruth::OnPrediction(const Record& record, double now) {
  Impl& m = *impl_;
  const double t = m.event_time && record.has_timestamp ? record.timestamp : now;
  double predicted = 0;
  double score = kNaN;
  if (!m.ReadPrediction(record, &predicted, &score)) {  // nothing to compare a label with
    if (m.in_line) InLine(record, nullptr, t);
    return;
  }
  if (!m.has_newest_prediction || t > m.newest_prediction) m.newest_prediction = t;
  m.has_newest_prediction = true;
  if (!m.calibrator.empty() && std::isfinite(score)) {
    const double p = m.calibrator.Calibrate(score);
    const bool positive = static_cast<int>(predicted) == m.shape.positive;
    for (QualityBucket* b : m.BucketsAt(t, now)) {
      if (b != nullptr) b->AddEstimate(p, positive);
    }
  }
  const JoinPrediction p{t, predicted, score};
  if (m.in_line) {
    InLine(record, &p, t);
    return;
  }
  if (record.request_id.empty()) return;
  JoinResult r;
  if (join_.AddPrediction(RequestIdHash(record.request_id), p, &r)) Credit(r);
}

// The label read from the prediction's own line: what OnLabel would do with it in a label log
// whose line carries the prediction's id and time, and the join at once (delay 0). No id is
// needed and none is held: a log_batch's rows sharing one id are each credited.
void GroundTruth::InLine(const Record& record, const JoinPrediction* prediction, double t) {
  Impl& m = *impl_;
  const FieldValue& v = record.label;
  if (v.state == ValueState::kMissing || v.state == ValueState::kNull) {
    if (prediction != nullptr) ++m.unlabeled_missing;  // an unlabelled prediction
    return;
  }
  if (v.state != ValueState::kValid) {
    ++m.invalid_labels;
    return;
  }
  JoinLabel l;
  l.value = m.shape.task == Task::kRegression ? v.number : m.ClassOf(v.text);
  l.timestamp = t;
  l.has_timestamp = true;
  if (!m.has_newest_label || t > m.newest_label) {
    m.newest_label = t;
    m.has_newest_label = true;
  }
  if (prediction == nullptr) {
    join_.UnmatchedInLine();
    return;
  }
  Credit(join_.JoinInLine(*prediction, l));
}

void GroundTruth::OnLabel(const Record& label, double now) {
  ++impl_->lines;
  OnLabelRow(label, now);
}

void GroundTruth::CountLabelLine() { ++impl_->lines; }

void GroundTruth::OnLabelRow(const Record& label, double now) {
  Impl& m = *impl_;
  if (label.request_id.empty()) {
    ++m.rejected[static_cast<int>(RejectReason::kMissingRequestId)];
    return;
  }
  const FieldValue& v = label.fields[0];
  if (v.state != ValueState::kValid) {
    ++m.invalid_labels;
    return;
  }
  JoinLabel l;
  l.value = m.shape.task == Task::kRegression ? v.number : m.ClassOf(v.text);
  if (label.has_timestamp) {
    l.timestamp = label.timestamp;
    l.has_timestamp = true;
  } else if (!m.one_shot) {
    l.timestamp = now;  // arrival time stands in for the label's event time
    l.has_timestamp = true;
  }
  if (l.has_timestamp && (!m.has_newest_label || l.timestamp > m.newest_label)) {
    m.newest_label = l.timestamp;
    m.has_newest_label = true;
  }
  JoinResult r;
  if (join_.AddLabel(RequestIdHash(label.request_id), l, &r)) Credit(r);
}

double GroundTruth::newest_label_time() const {
  return impl_->has_newest_label ? impl_->newest_label : 0;
}

void GroundTruth::OnLabelRejected(RejectReason reason) {
  ++impl_->lines;
  ++impl_->rejected[static_cast<int>(reason)];
}

void GroundTruth::Credit(const JoinResult& r) {
  Impl& m = *impl_;
  if (r.label.has_timestamp) {
    const double d = std::max(0.0, r.label.timestamp - r.prediction.timestamp);
    const auto i = static_cast<std::size_t>(
        std::lower_bound(std::begin(kDelayBounds), std::end(kDelayBounds), d) -
        std::begin(kDelayBounds));
    ++m.delay[i];
    m.delay_sum += d;
    ++m.delay_count;
  }
  // A joined row is credited where its prediction was; `now` there is the prediction's time,
  // so only the ring's own reach limits it.
  const double t = r.prediction.timestamp;
  const auto& buckets = m.BucketsAt(t, t);
  if (m.shape.task == Task::kRegression) {
    int bin = -1;
    if (m.shape.label_bins > 0) bin = m.target->numeric.bins.FineBin(r.label.value);
    for (QualityBucket* b : buckets) {
      if (b != nullptr) b->AddRegression(r.label.value, r.prediction.predicted, bin);
    }
    return;
  }
  const int truth = static_cast<int>(r.label.value);
  const int predicted = static_cast<int>(r.prediction.predicted);
  for (QualityBucket* b : buckets) {
    if (b != nullptr) b->AddClassification(m.shape, truth, predicted, r.prediction.score);
  }
}

void GroundTruth::Impl::FillWindow(std::size_t w, double T, QualityBucket* merged,
                                   QualityWindow* out) const {
  merged->Clear();
  rings[w].ForEachInWindow(T, [&](const QualityBucket& b) { b.AddTo(merged); });
  out->label = gt.windows[w].label;
  out->labeled = static_cast<std::int64_t>(merged->labeled);
  out->estimated_rows = static_cast<std::int64_t>(merged->estimated);
  if (out->labeled >= gt.min_samples) out->realised = RealisedMetrics(shape, *merged);
  if (out->estimated_rows >= gt.min_samples) out->estimated = EstimatedMetrics(*merged);
  if (!target || out->labeled < gt.min_samples) return;
  const bool numeric = target->type == config::FeatureType::kNumeric;
  std::span<const double> p = numeric
                                  ? std::span<const double>(target->numeric.bins.coarse_ref_share)
                                  : std::span<const double>(target->categorical.coarse_ref_share);
  if (p.empty() || (numeric ? target->numeric.count : target->categorical.count) == 0) return;
  std::vector<double> counts(p.size(), 0);
  drift::FineCounts fine;
  if (numeric) {
    for (std::size_t b = 0; b < merged->label_bins.size(); ++b) {
      counts[target->numeric.bins.coarse_of_fine[b]] += merged->label_bins[b];
    }
    fine = drift::FineCounts{merged->label_bins, merged->label_below, merged->label_above};
  } else {
    const auto k = static_cast<std::size_t>(shape.classes);
    for (std::size_t c = 0; c < k; ++c) {
      double row = 0;
      for (std::size_t j = 0; j < k; ++j) row += merged->confusion[c * k + j];
      const int bin =
          c < class_bin.size() && class_bin[c] >= 0 ? class_bin[c] : static_cast<int>(p.size()) - 1;
      counts[static_cast<std::size_t>(bin)] += row;
    }
  }
  double total = 0;
  for (double c : counts) total += c;
  if (total <= 0) return;
  std::vector<double> q(counts.size());
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = counts[i] / total;
  out->drift_scored = true;
  drift::ScoreInputs in;
  in.p = p;
  in.q = q;
  in.counts = counts;
  in.n_ref = numeric ? target->numeric.count : target->categorical.count;
  in.n_cur = static_cast<std::int64_t>(total);
  in.numeric = numeric ? &target->numeric : nullptr;
  in.fine = fine;
  if (numeric && drift_method == DriftMethod::kKs)
    in.ks_d = drift::KsStatistic(target->numeric, fine);
  in.js_base = settings.drift.js_base;
  out->drift_score = drift::Score(drift_method, in);
  out->drift_threshold = drift_threshold;
  out->drift_detected = drift::IsDrift(drift_method, out->drift_score, drift_threshold);
}

std::shared_ptr<LabelsView> GroundTruth::Evaluate(double T) const {
  const Impl& m = *impl_;
  auto v = std::make_shared<LabelsView>();
  v->source.source = "labels";
  v->source.lines = m.lines;
  v->source.rejected = m.rejected;
  v->source.reason_applies.fill(true);
  v->source.reason_applies[static_cast<int>(RejectReason::kBadTimestamp)] =
      !m.gt.record.timestamp.empty();
  v->source.has_last_record = m.has_newest_label;
  v->source.last_record_timestamp = m.newest_label;
  v->counters = join_.counters();
  v->invalid_labels = m.invalid_labels;
  v->in_line = m.in_line;
  v->unlabeled_missing = m.unlabeled_missing;
  v->pending_predictions = join_.pending_predictions();
  v->pending_labels = join_.pending_labels();
  v->delay_bounds.assign(std::begin(kDelayBounds), std::end(kDelayBounds));
  v->delay_buckets.assign(m.delay.begin(), m.delay.end());
  v->delay_sum = m.delay_sum;
  v->delay_count = m.delay_count;
  v->reference = m.reference_metrics;
  v->drift_method = m.target ? config::DriftMethodName(m.drift_method) : "";
  QualityBucket merged = QualityBucket::Empty(m.shape);
  for (std::size_t w = 0; w < m.rings.size(); ++w) {
    QualityWindow qw;
    m.FillWindow(w, T, &merged, &qw);
    v->windows.push_back(std::move(qw));
  }
  return v;
}

}  // namespace modelwatch::engine
