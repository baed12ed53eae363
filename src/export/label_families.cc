// The families of interface.md §4.5 (ground truth and model quality) and the version families
// of §4.2 (modelwatch_model_info, modelwatch_model_version_changes_total).
#include <string>
#include <utility>

#include <modelwatch/engine/quality_snapshot.h>
#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include "export/family_builder.h"

namespace modelwatch::exposition {

using engine::ModelSnapshot;
using prometheus::MetricType;

namespace {

void AddHistogram(prometheus::MetricFamily* f, const Labels& labels, const engine::LabelsView& v) {
  prometheus::ClientMetric m;
  for (const auto& [k, val] : labels) m.label.push_back({k, SanitizeLabelValue(val)});
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < v.delay_bounds.size(); ++i) {
    cumulative += v.delay_buckets[i];
    m.histogram.bucket.push_back({cumulative, v.delay_bounds[i]});
  }
  cumulative += v.delay_buckets.back();
  m.histogram.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
  m.histogram.sample_count = v.delay_count;
  m.histogram.sample_sum = v.delay_sum;
  f->metric.push_back(std::move(m));
}

}  // namespace

void VersionFamilies(const engine::Snapshot& s, Families* out) {
  FamilyBuilder info("modelwatch_model_info",
                     "1 for every model version seen inside the longest window.",
                     MetricType::Gauge);
  FamilyBuilder changes("modelwatch_model_version_changes_total",
                        "Versions that appeared without having been seen inside the longest "
                        "window.",
                        MetricType::Counter);
  for (const ModelSnapshot& m : s.models) {
    for (const std::string& v : m.active_versions) {
      info.Add({{"model", m.name}, {"model_version", v}}, 1);
    }
    changes.Add({{"model", m.name}}, static_cast<double>(m.version_changes));
  }
  info.MoveTo(out);
  changes.MoveTo(out);
}

void LabelFamilies(const engine::Snapshot& s, Families* out) {
  FamilyBuilder labels("modelwatch_labels_total", "Labels read (lines with a request id).",
                       MetricType::Counter);
  FamilyBuilder joined("modelwatch_labels_joined_total", "Labels joined to their prediction.",
                       MetricType::Counter);
  FamilyBuilder unmatched("modelwatch_labels_unmatched_total",
                          "Labels that were not joined, by reason.", MetricType::Counter);
  FamilyBuilder unlabeled("modelwatch_predictions_unlabeled_total",
                          "Predictions that left the join without a label, by reason.",
                          MetricType::Counter);
  FamilyBuilder pending("modelwatch_pending_predictions", "Predictions waiting for a label.",
                        MetricType::Gauge);
  FamilyBuilder pending_labels("modelwatch_pending_labels", "Labels waiting for their prediction.",
                               MetricType::Gauge);
  prometheus::MetricFamily delay;
  delay.name = "modelwatch_label_delay_seconds";
  delay.help = "Label time minus prediction time of joined labels.";
  delay.type = MetricType::Histogram;
  FamilyBuilder quality("modelwatch_model_quality",
                        "Model quality over the window's predictions labelled so far.",
                        MetricType::Gauge);
  FamilyBuilder reference("modelwatch_model_quality_reference",
                          "Model quality on the reference rows.", MetricType::Gauge);
  FamilyBuilder estimated("modelwatch_model_quality_estimated",
                          "Label-free estimate of model quality (CBPE).", MetricType::Gauge);
  FamilyBuilder labeled("modelwatch_window_labeled_records",
                        "Joined predictions credited to the window.", MetricType::Gauge);
  FamilyBuilder drift_score("modelwatch_label_drift_score",
                            "Drift of the joined labels against the reference target.",
                            MetricType::Gauge);
  FamilyBuilder drift_threshold("modelwatch_label_drift_threshold",
                                "Threshold of the label drift method.", MetricType::Gauge);
  FamilyBuilder drift_detected("modelwatch_label_drift_detected",
                               "1 when the label drift method detects drift.", MetricType::Gauge);
  for (const ModelSnapshot& m : s.models) {
    if (!m.labels) continue;
    const engine::LabelsView& v = *m.labels;
    const Labels ml = {{"model", m.name}};
    const engine::JoinCounters& c = v.counters;
    labels.Add(ml, static_cast<double>(c.labels + v.invalid_labels));
    joined.Add(ml, static_cast<double>(c.joined));
    unmatched.Add(With(ml, "reason", "unknown_request"), static_cast<double>(c.unmatched_unknown));
    unmatched.Add(With(ml, "reason", "duplicate"), static_cast<double>(c.unmatched_duplicate));
    unmatched.Add(With(ml, "reason", "evicted"), static_cast<double>(c.unmatched_evicted));
    unmatched.Add(With(ml, "reason", "invalid_label"), static_cast<double>(v.invalid_labels));
    unlabeled.Add(With(ml, "reason", "ttl"), static_cast<double>(c.unlabeled_ttl));
    unlabeled.Add(With(ml, "reason", "evicted"), static_cast<double>(c.unlabeled_evicted));
    if (v.in_line) {  // ground_truth.source: predictions: lines that carried no label
      unlabeled.Add(With(ml, "reason", "missing"), static_cast<double>(v.unlabeled_missing));
    }
    pending.Add(ml, static_cast<double>(v.pending_predictions));
    pending_labels.Add(ml, static_cast<double>(v.pending_labels));
    AddHistogram(&delay, ml, v);
    for (const engine::QualityMetric& q : v.reference)
      reference.Add(With(ml, "metric", q.name), q.value);
    for (const engine::QualityWindow& w : v.windows) {
      const Labels wl = With(ml, "window", w.label);
      labeled.Add(wl, static_cast<double>(w.labeled));
      for (const engine::QualityMetric& q : w.realised)
        quality.Add(With(wl, "metric", q.name), q.value);
      for (const engine::QualityMetric& q : w.estimated) {
        estimated.Add(With(wl, "metric", q.name), q.value);
      }
      if (w.drift_scored) {
        const Labels dl = With(wl, "method", v.drift_method);
        drift_score.Add(dl, w.drift_score);
        drift_threshold.Add(dl, w.drift_threshold);
        drift_detected.Add(dl, w.drift_detected ? 1 : 0);
      }
    }
  }
  for (FamilyBuilder* f : {&labels, &joined, &unmatched, &unlabeled, &pending, &pending_labels}) {
    f->MoveTo(out);
  }
  if (!delay.metric.empty()) out->push_back(std::move(delay));
  for (FamilyBuilder* f : {&quality, &reference, &estimated, &labeled, &drift_score,
                           &drift_threshold, &drift_detected}) {
    f->MoveTo(out);
  }
}

}  // namespace modelwatch::exposition
