// `defaults` and their per-model overrides (interface.md §2).
#include <string>

#include "config/enums.h"
#include "config/parsers.h"

namespace modelwatch::config::internal {
namespace {

void ApplyBins(const MapReader& drift, DriftConfig* d) {
  if (!drift.Has("bins")) return;
  MapReader r(drift.ctx(), drift.Get("bins"), drift.PathOf("bins"), {"kind", "count"});
  r.Enum<BinKind>("kind", &d->bin_kind, kBinKinds);
  r.Int("count", &d->bin_count, 2, 10000);
}

void ApplyThresholds(const MapReader& drift, DriftConfig* d) {
  if (!drift.Has("thresholds")) return;
  std::vector<std::string_view> names;
  for (const auto& m : kConcreteMethods) names.push_back(m.name);
  MapReader r(drift.ctx(), drift.Get("thresholds"), drift.PathOf("thresholds"), names);
  for (const auto& m : kConcreteMethods) {
    double v = 0;
    if (!r.Number(m.name, &v)) continue;
    if (v <= 0) {
      r.Error(m.name, "a threshold must be greater than zero");
      continue;
    }
    d->thresholds[m.value] = v;
  }
}

void ApplyExtraMethods(const MapReader& drift, DriftConfig* d) {
  auto seq = drift.Sequence("extra_methods");
  if (!seq) return;
  std::vector<DriftMethod> methods;
  for (std::size_t i = 0; i < seq->size(); ++i) {
    YAML::Node item = (*seq)[i];
    std::string at = drift.PathOf("extra_methods") + "[" + std::to_string(i) + "]";
    std::string text = item.IsScalar() ? item.Scalar() : "";
    auto m = ParseDriftMethod(text);
    if (!m || *m == DriftMethod::kAuto) {
      std::vector<std::string_view> names;
      for (const auto& n : kConcreteMethods) names.push_back(n.name);
      drift.ctx().errors->Add(item.Mark(), at + ": invalid method " + InvalidValue(text, names));
      continue;
    }
    methods.push_back(*m);
  }
  d->extra_methods = std::move(methods);
}

void ApplyDrift(const MapReader& settings, DriftConfig* d) {
  if (!settings.Has("drift")) return;
  MapReader r(
      settings.ctx(), settings.Get("drift"), settings.PathOf("drift"),
      {"method", "thresholds", "extra_methods", "bins", "base", "min_samples", "drift_share"});
  r.Enum<DriftMethod>("method", &d->method, kDriftMethods);
  ApplyThresholds(r, d);
  ApplyExtraMethods(r, d);
  ApplyBins(r, d);
  r.Enum<double>("base", &d->js_base, kJsBases);
  r.Int("min_samples", &d->min_samples, 1, INT64_MAX);
  double share = 0;
  if (r.Number("drift_share", &share)) {
    if (share <= 0 || share > 1) {
      r.Error("drift_share", "must be in (0, 1]");
    } else {
      d->drift_share = share;
    }
  }
}

}  // namespace

const std::vector<std::string_view> kSettingsKeys = {
    "windows", "buckets_per_window", "time",         "allowed_lateness", "max_future_skew",
    "drift",   "max_categories",     "max_versions", "split_by_version", "parse"};

void ApplySettings(const MapReader& r, ModelSettings* s) {
  r.Windows("windows", &s->windows);
  r.Int("buckets_per_window", &s->buckets_per_window, 1, 100000);
  r.Enum<TimeMode>("time", &s->time, kTimeModes);
  r.Duration("allowed_lateness", &s->allowed_lateness, /*allow_zero=*/true);
  r.Duration("max_future_skew", &s->max_future_skew, /*allow_zero=*/true);
  ApplyDrift(r, &s->drift);
  r.Int("max_categories", &s->max_categories, 1, 1000000);
  r.Int("max_versions", &s->max_versions, 1, 1000000);
  r.Bool("split_by_version", &s->split_by_version);
  ApplyParseSettings(r, s);
}

}  // namespace modelwatch::config::internal
