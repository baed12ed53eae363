#include <modelwatch/engine/ground_truth.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <utility>

#include <modelwatch/drift/methods.h>
#include <modelwatch/drift/p_values.h>
#include <modelwatch/engine/quality_metrics.h>
#include <modelwatch/window/window_ring.h>

namespace modelwatch::engine {

using config::DriftMethod;
using config::Task;

namespace {

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

double DriftScore(DriftMethod m, const FieldBaseline& t, std::span<const double> p,
                  std::span<const double> q, std::span<const double> counts, std::int64_t n_cur,
                  const drift::FineCounts& fine, double js_base) {
  const bool numeric = t.type == config::FeatureType::kNumeric;
  const std::int64_t n_ref = numeric ? t.numeric.count : t.categorical.count;
  switch (m) {
    case DriftMethod::kPsi:
      return drift::Psi(p, q);
    case DriftMethod::kKl:
      return drift::Kl(p, q);
    case DriftMethod::kJensenShannon:
      return drift::JensenShannon(p, q, js_base);
    case DriftMethod::kHellinger:
      return drift::Hellinger(p, q);
    case DriftMethod::kLinf:
      return drift::Linf(p, q);
    case DriftMethod::kWasserstein:
      return numeric ? drift::WassersteinNormed(t.numeric, fine) : kNaN;
    case DriftMethod::kKs:
      return numeric ? drift::KsPValue(drift::KsStatistic(t.numeric, fine), n_ref, n_cur) : kNaN;
    case DriftMethod::kChiSquare:
      return drift::ChiSquarePValue(p, counts);
    case DriftMethod::kZ:
      return drift::ZPValue(std::llround(p[0] * static_cast<double>(n_ref)), n_ref,
                            std::llround(counts[0]), n_cur);
    default:
      return kNaN;
  }
}

}  // namespace

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
};

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
  if (m.prediction_index < 0) {
    return Status::Error(where + "prediction: no output named " + m.gt.prediction);
  }
  const auto& pred_cfg = model.outputs[static_cast<std::size_t>(m.prediction_index) - n_features];
  const auto want = regression ? config::FeatureType::kNumeric : config::FeatureType::kCategorical;
  if (pred_cfg.type != want) {
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
    m.shape.classes = m.classes.size();
    m.shape.positive = m.gt.task == Task::kBinaryClassification ? 0 : -1;
    m.shape.has_score = m.gt.task == Task::kBinaryClassification && m.score_index >= 0;
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
  JoinLimits limits;
  limits.ttl = m.gt.join_ttl;
  limits.max_pending = std::max<std::uint64_t>(1, m.gt.max_pending);
  limits.max_pending_labels = std::max<std::uint64_t>(1, m.gt.max_pending_labels);
  limits.shared_clock = !one_shot;
  return std::unique_ptr<GroundTruth>(new GroundTruth(std::move(impl), limits));
}

void GroundTruth::OnPrediction(const Record& record, double now) {
  Impl& m = *impl_;
  const FieldValue& pv = record.fields[static_cast<std::size_t>(m.prediction_index)];
  if (pv.state != ValueState::kValid) return;  // nothing to compare a label with
  const double t = m.event_time && record.has_timestamp ? record.timestamp : now;
  if (!m.has_newest_prediction || t > m.newest_prediction) m.newest_prediction = t;
  m.has_newest_prediction = true;
  const bool regression = m.shape.task == Task::kRegression;
  const double predicted = regression ? pv.number : m.ClassOf(pv.text);
  double score = kNaN;
  if (m.score_index >= 0) {
    const FieldValue& sv = record.fields[static_cast<std::size_t>(m.score_index)];
    if (sv.state == ValueState::kValid) score = sv.number;
  }
  if (!m.calibrator.empty() && std::isfinite(score)) {
    const double p = m.calibrator.Calibrate(score);
    const bool positive = static_cast<int>(predicted) == m.shape.positive;
    for (QualityBucket* b : m.BucketsAt(t, now)) {
      if (b != nullptr) b->AddEstimate(p, positive);
    }
  }
  if (record.request_id.empty()) return;
  JoinResult r;
  if (join_.AddPrediction(RequestIdHash(record.request_id), {t, predicted, score}, &r)) {
    Credit(r);
  }
}

void GroundTruth::OnLabel(const Record& label, double now) {
  Impl& m = *impl_;
  ++m.lines;
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
  out->drift_score = DriftScore(drift_method, *target, p, q, counts,
                                static_cast<std::int64_t>(total), fine, settings.drift.js_base);
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

namespace {

constexpr char kStateMagic[4] = {'M', 'W', 'G', 'T'};
constexpr std::uint32_t kStateVersion = 1;

template <typename T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool Bytes(std::uint64_t n, std::string_view* out) {
    if (in_.size() - pos_ < n) return false;
    *out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  std::size_t left() const { return in_.size() - pos_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

// "MWGT" u32 version, u32 n + n × (u32 length, bytes) class names, u64 lines,
// kRejectReasons × u64, u64 invalid labels, (|delay bounds| + 1) × u64, f64 delay sum,
// u64 delay count, u8 has newest label, f64 newest label, u64 length + the LabelJoin block.
void GroundTruth::Save(std::string& out) const {
  const Impl& m = *impl_;
  out.append(kStateMagic, 4);
  Put(out, kStateVersion);
  Put(out, static_cast<std::uint32_t>(m.classes.named()));
  for (std::size_t i = 0; i < m.classes.named(); ++i) {
    const std::string& n = m.classes.Name(static_cast<int>(i));
    Put(out, static_cast<std::uint32_t>(n.size()));
    out.append(n);
  }
  Put(out, m.lines);
  for (std::uint64_t r : m.rejected) Put(out, r);
  Put(out, m.invalid_labels);
  for (std::uint64_t d : m.delay) Put(out, d);
  Put(out, m.delay_sum);
  Put(out, m.delay_count);
  Put<std::uint8_t>(out, m.has_newest_label ? 1 : 0);
  Put(out, m.newest_label);
  std::string join;
  join_.Save(join);
  Put(out, static_cast<std::uint64_t>(join.size()));
  out.append(join);
}

Status GroundTruth::Load(std::string_view in) {
  Impl& m = *impl_;
  auto bad = [](const char* why) {
    return Status::Error(std::string("ground truth state: ") + why);
  };
  if (in.size() < 8 || std::memcmp(in.data(), kStateMagic, 4) != 0) return bad("not a block");
  StateReader r(in.substr(4));
  std::uint32_t version = 0, n = 0;
  r.Get(&version);
  if (version != kStateVersion) return bad("unsupported version");
  if (!r.Get(&n) || n > static_cast<std::uint32_t>(m.classes.cap())) return bad("class table");
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t len = 0;
    std::string_view name;
    if (!r.Get(&len) || len == 0 || len > 4096 || !r.Bytes(len, &name)) return bad("class name");
    if (std::find(names.begin(), names.end(), name) != names.end()) return bad("class repeated");
    names.emplace_back(name);
  }
  std::uint64_t lines = 0, invalid = 0, delay_count = 0, join_size = 0;
  std::array<std::uint64_t, kRejectReasons> rejected{};
  decltype(m.delay) delay{};
  double delay_sum = 0, newest_label = 0;
  std::uint8_t has_newest = 0;
  bool ok = r.Get(&lines);
  for (auto& x : rejected) ok = ok && r.Get(&x);
  ok = ok && r.Get(&invalid);
  for (auto& x : delay) ok = ok && r.Get(&x);
  ok = ok && r.Get(&delay_sum) && r.Get(&delay_count) && r.Get(&has_newest) &&
       r.Get(&newest_label) && r.Get(&join_size);
  if (!ok || has_newest > 1 || !std::isfinite(delay_sum) || !std::isfinite(newest_label)) {
    return bad("truncated or invalid counters");
  }
  std::string_view join_block;
  if (join_size != r.left() || !r.Bytes(join_size, &join_block)) return bad("join block size");
  // The binary positive class keeps index 0: a table saved by another configuration does not fit.
  if (m.gt.task == Task::kBinaryClassification &&
      (names.empty() || names[0] != m.gt.positive_class)) {
    return bad("saved for another positive_class");
  }
  LabelJoin join(join_.limits());
  if (Status s = join.Load(join_block); !s.ok()) return s;
  join_ = std::move(join);
  if (m.shape.task != Task::kRegression) {
    m.classes.Reset(std::move(names));
    m.class_bin.clear();  // ClassOf recomputes the drift bin of every saved class
    for (std::size_t i = 0; i < m.classes.named(); ++i) {
      m.ClassOf(std::string(m.classes.Name(static_cast<int>(i))));
    }
  }
  m.lines = lines;
  m.rejected = rejected;
  m.invalid_labels = invalid;
  m.delay = delay;
  m.delay_sum = delay_sum;
  m.delay_count = delay_count;
  m.has_newest_label = has_newest == 1;
  m.newest_label = newest_label;
  return Status::Ok();
}

}  // namespace modelwatch::engine
