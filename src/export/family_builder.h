// FamilyBuilder: a small helper that fills one prometheus::MetricFamily with sanitized labels.
#ifndef MODELWATCH_EXPORT_FAMILY_BUILDER_H_
#define MODELWATCH_EXPORT_FAMILY_BUILDER_H_

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/metric_family.h>

#include <modelwatch/export/exposition.h>

#include "export/families.h"

namespace modelwatch::exposition {

using Labels = std::vector<std::pair<std::string, std::string>>;
using Families = std::vector<prometheus::MetricFamily>;

// The `bin` label value: a zero-padded index ("00", "01", ... "123").
inline std::string BinLabel(std::size_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02zu", i);
  return buf;
}

inline Labels With(Labels l, std::string name, std::string value) {
  l.emplace_back(std::move(name), std::move(value));
  return l;
}

// split_by_version: the labels with model_version right after the first (model); unchanged
// when version is null (the model's own, unsplit series).
inline Labels Versioned(Labels l, const std::string* version) {
  if (version != nullptr) l.insert(l.begin() + (l.empty() ? 0 : 1), {"model_version", *version});
  return l;
}

// Calls fn(version, windows) with the model's windows (version null), then, under
// split_by_version, with each version's windows: the per-version series follow the model's
// in every windowed family, and without split_by_version nothing changes.
template <typename Fn>
void ForEachWindowSet(const engine::ModelSnapshot& m, Fn&& fn) {
  fn(static_cast<const std::string*>(nullptr), m.windows);
  for (const engine::VersionWindows& v : m.version_windows) fn(&v.version, v.windows);
}

class FamilyBuilder {
 public:
  FamilyBuilder(std::string name, std::string help, prometheus::MetricType type) {
    family_.name = std::move(name);
    family_.help = std::move(help);
    family_.type = type;
  }
  void Add(const Labels& labels, double value) {
    prometheus::ClientMetric m;
    m.label.reserve(labels.size());
    for (const auto& [k, v] : labels) m.label.push_back({k, SanitizeLabelValue(v)});
    switch (family_.type) {
      case prometheus::MetricType::Counter:
        m.counter.value = value;
        break;
      case prometheus::MetricType::Gauge:
        m.gauge.value = value;
        break;
      default:
        m.untyped.value = value;
    }
    family_.metric.push_back(std::move(m));
  }
  // Appends the family to out; a family without series is dropped (it would render nothing).
  void MoveTo(std::vector<prometheus::MetricFamily>* out) {
    if (!family_.metric.empty()) out->push_back(std::move(family_));
  }

 private:
  prometheus::MetricFamily family_;
};

// Data-quality families (quality_families.cc), appended after the drift families.
void QualityFamilies(const engine::Snapshot& snapshot, Families* out);
// Latency families (latency_families.cc), appended after the quality families.
void LatencyFamilies(const engine::Snapshot& snapshot, Families* out);
// Resource families (resource_families.cc), rendered with the self-health families.
void ResourceFamilies(const resources::Readings& readings, Families* out);
// Version families (modelwatch_model_info, _version_changes_total) and the ground-truth and
// model-quality families (label_families.cc).
void VersionFamilies(const engine::Snapshot& snapshot, Families* out);
void LabelFamilies(const engine::Snapshot& snapshot, Families* out);

// The category series of one field, ready to render: its names (and "__other__" for the
// overflow) as label values of at most kMaxCategoryLabelBytes, with the names that become equal
// once sanitised merged into one series (counts summed, first position kept), so no two series
// ever carry the same labels. Empty when the field has no category table.
inline constexpr std::size_t kMaxCategoryLabelBytes = 128;
std::vector<std::pair<std::string, std::uint64_t>> CategorySeries(const engine::FieldInfo& field);

}  // namespace modelwatch::exposition

#endif  // MODELWATCH_EXPORT_FAMILY_BUILDER_H_
