// The data-quality families of interface.md §4.4: reasons, ratios, categories, schema.
#include <string>
#include <unordered_map>
#include <utility>

#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include "export/family_builder.h"

namespace modelwatch::exposition {

using engine::ModelSnapshot;
using prometheus::MetricType;

std::vector<std::pair<std::string, std::uint64_t>> CategorySeries(const engine::FieldInfo& f) {
  std::vector<std::pair<std::string, std::uint64_t>> series;
  if (!f.has_categories) return series;
  std::unordered_map<std::string, std::size_t> index;
  auto add = [&](std::string_view name, std::uint64_t count) {
    std::string label = SanitizeLabelValue(name, kMaxCategoryLabelBytes);
    const auto [it, inserted] = index.emplace(label, series.size());
    if (inserted) {
      series.emplace_back(std::move(label), count);
    } else {
      series[it->second].second += count;
    }
  };
  for (std::size_t i = 0; i < f.category_names.size() && i < f.category_counts.size(); ++i) {
    add(f.category_names[i], f.category_counts[i]);
  }
  add("__other__", f.category_overflow);
  return series;
}

namespace {

void FieldFamilies(const engine::Snapshot& s, bool outputs, Families* out) {
  const std::string kind = outputs ? "output" : "feature";
  const std::string p = "modelwatch_" + kind;
  FamilyBuilder looked("modelwatch_feature_values_total",
                       "Records in which the feature was looked at.", MetricType::Counter);
  FamilyBuilder invalid(p + "_invalid_total", "Invalid values, by reason.", MetricType::Counter);
  FamilyBuilder ratio(p + "_invalid_ratio",
                      "Invalid values with the reason per record in the window.",
                      MetricType::Gauge);
  FamilyBuilder reference(p + "_invalid_ratio_reference",
                          "Invalid values with the reason per row of the reference.",
                          MetricType::Gauge);
  FamilyBuilder categories("modelwatch_feature_category_observations_total",
                           "Observations per category, capped at max_categories series; the "
                           "rest as __other__.",
                           MetricType::Counter);
  FamilyBuilder overflow("modelwatch_category_overflow_total",
                         "Observations counted as __other__ because the category series are "
                         "capped.",
                         MetricType::Counter);
  for (const ModelSnapshot& m : s.models) {
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      const engine::FieldInfo& f = m.fields[i];
      if (f.is_output != outputs) continue;
      const Labels fl = {{"model", m.name}, {kind, f.name}};
      if (!outputs) looked.Add(fl, static_cast<double>(f.values_total));
      for (int st = 1; st < engine::kQualityStates; ++st) {
        if (!engine::InvalidReasonApplies(st, f.type)) continue;
        const auto k = static_cast<std::size_t>(st);
        const char* reason = engine::InvalidReasonName(st);
        invalid.Add(With(fl, "reason", reason), static_cast<double>(f.states_total[k]));
        if (f.has_reference_ratio) {
          reference.Add(With(fl, "reason", reason), f.reference_ratio[k]);
        }
        ForEachWindowSet(m, [&](const std::string* version, const auto& windows) {
          for (const engine::WindowView& w : windows) {
            if (w.records <= 0 || i >= w.fields.size()) continue;
            ratio.Add(With(With(Versioned(fl, version), "window", w.label), "reason", reason),
                      static_cast<double>(w.fields[i].invalid[k]) / static_cast<double>(w.records));
          }
        });
      }
      if (outputs || !f.has_categories) continue;
      for (const auto& [name, count] : CategorySeries(f)) {
        categories.Add(With(fl, "category", name), static_cast<double>(count));
      }
      overflow.Add(fl, static_cast<double>(f.category_overflow));
    }
  }
  for (FamilyBuilder* f : {&looked, &invalid, &ratio, &reference, &overflow, &categories}) {
    f->MoveTo(out);
  }
}

}  // namespace

void QualityFamilies(const engine::Snapshot& s, Families* out) {
  FieldFamilies(s, false, out);
  FieldFamilies(s, true, out);
  FamilyBuilder unexpected("modelwatch_record_unexpected_fields_total",
                           "Fields the configuration does not know, under the objects holding "
                           "the features.",
                           MetricType::Counter);
  FamilyBuilder duplicates("modelwatch_duplicate_request_ids_total",
                           "Records whose request id was seen before (approximate, bounded "
                           "memory).",
                           MetricType::Counter);
  for (const ModelSnapshot& m : s.models) {
    unexpected.Add({{"model", m.name}}, static_cast<double>(m.unexpected_fields));
    if (m.has_request_id) {
      duplicates.Add({{"model", m.name}}, static_cast<double>(m.duplicate_request_ids));
    }
  }
  unexpected.MoveTo(out);
  duplicates.MoveTo(out);
}

}  // namespace modelwatch::exposition
