// The data-derived families, one function per section of interface.md §4.
#include <cstdio>
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

void PipelineFamilies(const engine::Snapshot& s, Families* out) {
  FamilyBuilder files("modelwatch_source_files", "Files currently matched and open.",
                      MetricType::Gauge);
  FamilyBuilder lines("modelwatch_source_lines_total", "Complete non-blank lines read.",
                      MetricType::Counter);
  FamilyBuilder bytes("modelwatch_source_bytes_total", "Bytes read from the source files.",
                      MetricType::Counter);
  FamilyBuilder rejected("modelwatch_source_lines_rejected_total",
                         "Lines that did not become a record, by reason.", MetricType::Counter);
  FamilyBuilder rotations("modelwatch_source_rotations_total", "Rotations detected.",
                          MetricType::Counter);
  FamilyBuilder truncations("modelwatch_source_truncations_total", "Truncations detected.",
                            MetricType::Counter);
  FamilyBuilder lost("modelwatch_source_bytes_lost_total",
                     "Bytes that could not be read, by reason.", MetricType::Counter);
  FamilyBuilder lag("modelwatch_source_lag_bytes", "Bytes written but not yet read.",
                    MetricType::Gauge);
  FamilyBuilder last("modelwatch_source_last_record_timestamp_seconds",
                     "Event time of the newest record.", MetricType::Gauge);
  FamilyBuilder outside("modelwatch_records_outside_windows_total",
                        "Records counted but kept out of the windows, by reason.",
                        MetricType::Counter);
  FamilyBuilder predictions("modelwatch_predictions_total", "Predictions read, by model version.",
                            MetricType::Counter);
  FamilyBuilder records("modelwatch_window_records", "Records inside each window.",
                        MetricType::Gauge);
  // Every source of every model: the predictions, then the labels where configured.
  std::vector<std::pair<const ModelSnapshot*, const engine::SourceView*>> sources;
  for (const ModelSnapshot& m : s.models) {
    sources.emplace_back(&m, &m.predictions);
    if (m.labels) sources.emplace_back(&m, &m.labels->source);
  }
  for (const auto& [model, source] : sources) {
    const ModelSnapshot& m = *model;
    const engine::SourceView& src = *source;
    const Labels base = {{"model", m.name}, {"source", src.source}};
    files.Add(base, static_cast<double>(src.files));
    lines.Add(base, static_cast<double>(src.lines));
    bytes.Add(base, static_cast<double>(src.bytes));
    for (int r = 0; r < engine::kRejectReasons; ++r) {
      if (!src.reason_applies[static_cast<std::size_t>(r)]) continue;
      Labels l = base;
      l.push_back({"reason", engine::RejectReasonName(static_cast<engine::RejectReason>(r))});
      rejected.Add(l, static_cast<double>(src.rejected[static_cast<std::size_t>(r)]));
    }
    rotations.Add(base, static_cast<double>(src.rotations));
    truncations.Add(base, static_cast<double>(src.truncations));
    lost.Add(With(base, "reason", "deleted"), static_cast<double>(src.bytes_lost_deleted));
    lost.Add(With(base, "reason", "truncated"), static_cast<double>(src.bytes_lost_truncated));
    lost.Add(With(base, "reason", "rotated_away"),
             static_cast<double>(src.bytes_lost_rotated_away));
    lag.Add(base, static_cast<double>(src.lag_bytes));
    if (src.has_last_record) last.Add(base, src.last_record_timestamp);
  }
  for (const ModelSnapshot& m : s.models) {
    for (int r = 0; r < engine::kOutsideReasons; ++r) {
      outside.Add({{"model", m.name},
                   {"reason", engine::OutsideReasonName(static_cast<engine::OutsideReason>(r))}},
                  static_cast<double>(m.outside[static_cast<std::size_t>(r)]));
    }
    for (const engine::VersionCount& v : m.versions) {
      predictions.Add({{"model", m.name}, {"model_version", v.version}},
                      static_cast<double>(v.predictions));
    }
    ForEachWindowSet(m, [&](const std::string* version, const auto& windows) {
      for (const engine::WindowView& w : windows) {
        records.Add(Versioned({{"model", m.name}, {"window", w.label}}, version),
                    static_cast<double>(w.records));
      }
    });
  }
  for (FamilyBuilder* f : {&files, &lines, &bytes, &rejected, &rotations, &truncations, &lost, &lag,
                           &last, &outside, &predictions, &records}) {
    f->MoveTo(out);
  }
}

void DriftFamilies(const engine::Snapshot& s, bool outputs, Families* out) {
  const std::string kind = outputs ? "output" : "feature";
  const std::string p = "modelwatch_" + kind;
  FamilyBuilder score(p + "_drift_score", "Drift statistic of the window against the reference.",
                      MetricType::Gauge);
  FamilyBuilder threshold(p + "_drift_threshold", "Threshold of the deciding drift method.",
                          MetricType::Gauge);
  FamilyBuilder detected(p + "_drift_detected", "1 when the deciding method detects drift.",
                         MetricType::Gauge);
  FamilyBuilder values(p + "_window_values", "Valid values in the window.", MetricType::Gauge);
  FamilyBuilder bins(p + "_bin_observations_total", "Values per reference drift bin.",
                     MetricType::Counter);
  FamilyBuilder ratio(p + "_baseline_bin_ratio", "Reference share of each drift bin.",
                      MetricType::Gauge);
  for (const ModelSnapshot& m : s.models) {
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      const engine::FieldInfo& f = m.fields[i];
      if (f.is_output != outputs) continue;
      const Labels fl = {{"model", m.name}, {kind, f.name}};
      ForEachWindowSet(m, [&](const std::string* version, const auto& windows) {
        for (const engine::WindowView& w : windows) {
          const engine::FieldWindow& fw = w.fields[i];
          const Labels wl = With(Versioned(fl, version), "window", w.label);
          values.Add(wl, static_cast<double>(fw.values));
          detected.Add(wl, fw.detected ? 1 : 0);
          if (!fw.scored) continue;
          score.Add(With(wl, "method", f.method), fw.score);
          threshold.Add(With(wl, "method", f.method), fw.threshold);
          for (const engine::MethodScore& x : fw.extra)
            score.Add(With(wl, "method", x.method), x.score);
        }
      });
      for (std::size_t b = 0; b < f.bin_observations.size(); ++b) {
        bins.Add(With(fl, "bin", BinLabel(b)), static_cast<double>(f.bin_observations[b]));
      }
      for (std::size_t b = 0; b < f.baseline_share.size(); ++b) {
        ratio.Add(With(fl, "bin", BinLabel(b)), f.baseline_share[b]);
      }
    }
  }
  for (FamilyBuilder* f : {&score, &threshold, &detected, &values}) f->MoveTo(out);
  bins.MoveTo(out);
  ratio.MoveTo(out);
}

void DatasetFamilies(const engine::Snapshot& s, Families* out) {
  FamilyBuilder share("modelwatch_dataset_drift_share",
                      "Drifted share of the features that reached min_samples.", MetricType::Gauge);
  FamilyBuilder detected("modelwatch_dataset_drift_detected",
                         "1 when the drifted share reaches drift_share.", MetricType::Gauge);
  for (const ModelSnapshot& m : s.models) {
    ForEachWindowSet(m, [&](const std::string* version, const auto& windows) {
      for (const engine::WindowView& w : windows) {
        const Labels l = Versioned({{"model", m.name}, {"window", w.label}}, version);
        if (w.has_share) share.Add(l, w.drift_share);
        detected.Add(l, w.dataset_detected ? 1 : 0);
      }
    });
  }
  share.MoveTo(out);
  detected.MoveTo(out);
}

}  // namespace

std::vector<prometheus::MetricFamily> SnapshotFamilies(const engine::Snapshot& snapshot) {
  Families out;
  PipelineFamilies(snapshot, &out);
  DatasetFamilies(snapshot, &out);
  DriftFamilies(snapshot, false, &out);
  DriftFamilies(snapshot, true, &out);
  QualityFamilies(snapshot, &out);
  ShapeFamilies(snapshot, &out);
  VersionFamilies(snapshot, &out);
  LabelFamilies(snapshot, &out);
  LatencyFamilies(snapshot, &out);
  return out;
}

}  // namespace modelwatch::exposition
