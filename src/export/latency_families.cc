// Latency families (interface.md §4.2): the histogram per model version, the windowed
// percentiles, the objective, and the latencies that were not valid durations.
#include <string>

#include <modelwatch/core/record.h>

#include "export/family_builder.h"

namespace modelwatch::exposition {

using prometheus::MetricType;

namespace {

const char* LatencyInvalidReason(std::size_t state) {
  switch (static_cast<ValueState>(state)) {
    case ValueState::kMissing:
      return "missing";
    case ValueState::kNull:
      return "null";
    case ValueState::kNan:
      return "nan";
    case ValueState::kEmpty:
      return "empty";
    case ValueState::kTypeMismatch:
      return "type_mismatch";
    default:
      return nullptr;
  }
  return nullptr;
}

prometheus::ClientMetric HistogramMetric(const std::string& model, const engine::LatencyView& v,
                                         const engine::LatencyHistogram& h) {
  prometheus::ClientMetric m;
  m.label.push_back({"model", SanitizeLabelValue(model)});
  m.label.push_back({"model_version", SanitizeLabelValue(h.version)});
  m.histogram.sample_count = h.count;
  m.histogram.sample_sum = h.sum;
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < v.bounds.size(); ++b) {
    cumulative += h.counts[b];
    m.histogram.bucket.push_back({cumulative, v.bounds[b]});
  }
  return m;  // the serializer adds le="+Inf" with sample_count
}

}  // namespace

void LatencyFamilies(const engine::Snapshot& s, Families* out) {
  prometheus::MetricFamily histogram;
  histogram.name = "modelwatch_prediction_latency_seconds";
  histogram.help = "Prediction latency from the log, by model version.";
  histogram.type = MetricType::Histogram;
  FamilyBuilder percentile("modelwatch_prediction_latency_percentile_seconds",
                           "Latency percentile over the window (lower nearest rank, within 1 %).",
                           MetricType::Gauge);
  FamilyBuilder objective("modelwatch_latency_objective_seconds",
                          "The latency objective of the model (record.latency.objective).",
                          MetricType::Gauge);
  FamilyBuilder invalid("modelwatch_prediction_latency_invalid_total",
                        "Predictions whose latency was not a valid duration, by reason.",
                        MetricType::Counter);
  for (const engine::ModelSnapshot& m : s.models) {
    const engine::LatencyView& v = m.latency;
    if (!v.configured) continue;
    for (const engine::LatencyHistogram& h : v.histograms) {
      histogram.metric.push_back(HistogramMetric(m.name, v, h));
    }
    ForEachWindowSet(m, [&](const std::string* version, const auto& windows) {
      for (const engine::WindowView& w : windows) {
        if (w.latency.values == 0) continue;
        for (std::size_t i = 0; i < engine::kLatencyQuantiles.size(); ++i) {
          percentile.Add(Versioned({{"model", m.name},
                                    {"window", w.label},
                                    {"percentile", engine::kLatencyPercentileLabels[i]}},
                                   version),
                         w.latency.seconds[i]);
        }
      }
    });
    if (v.objective_seconds) objective.Add({{"model", m.name}}, *v.objective_seconds);
    for (std::size_t r = 0; r < v.invalid.size(); ++r) {
      if (const char* reason = LatencyInvalidReason(r)) {
        invalid.Add({{"model", m.name}, {"reason", reason}}, static_cast<double>(v.invalid[r]));
      }
    }
  }
  if (!histogram.metric.empty()) out->push_back(std::move(histogram));
  percentile.MoveTo(out);
  objective.MoveTo(out);
  invalid.MoveTo(out);
}

}  // namespace modelwatch::exposition
