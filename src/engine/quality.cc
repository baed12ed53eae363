// ModelEngine's data quality (statistics.md §4, interface.md §4.4): ranges, reference ratios,
// category tables, unexpected fields and duplicate request ids. Per-value decisions are in
// ModelEngine::Observe (model_engine.cc), next to the drift bins they share a lookup with.
#include <algorithm>
#include <limits>

#include <modelwatch/engine/model_engine.h>

#include "engine/field.h"

namespace modelwatch::engine {

using config::FeatureType;

const char* InvalidReasonName(int state) {
  static const char* const kNames[kQualityStates] = {
      "valid", "missing",       "null",         "nan",
      "empty", "type_mismatch", "out_of_range", "unseen_category"};
  return state >= 0 && state < kQualityStates ? kNames[state] : "unknown";
}

bool InvalidReasonApplies(int state, FeatureType type) {
  if (state == kOutOfRange) return type == FeatureType::kNumeric;
  if (state == kUnseenCategory) return type == FeatureType::kCategorical;
  return state > 0 && state < kQualityStates;
}

namespace {

// Reference values outside [lo, hi] (sorted ascending).
std::int64_t CountOutside(const std::vector<double>& sorted, double lo, double hi) {
  const auto below = std::lower_bound(sorted.begin(), sorted.end(), lo) - sorted.begin();
  const auto above = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), hi);
  return static_cast<std::int64_t>(below + above);
}

}  // namespace

void ModelEngine::SetUpQuality() {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    Field& f = fields_[i];
    const config::FeatureConfig& fc = i < model_.features.size()
                                          ? model_.features[i]
                                          : model_.outputs[i - model_.features.size()];
    const FieldBaseline& base = *f.base;
    std::int64_t reference_out_of_range = 0;
    if (f.type == FeatureType::kNumeric) {
      constexpr double kInf = std::numeric_limits<double>::infinity();
      if (fc.range) {
        f.valid_min = fc.range->min.value_or(-kInf);
        f.valid_max = fc.range->max.value_or(kInf);
        reference_out_of_range = CountOutside(base.numeric.sorted, f.valid_min, f.valid_max);
      } else if (f.has_reference) {
        f.valid_min = base.numeric.min;
        f.valid_max = base.numeric.max;
      }
    } else {
      f.expose = fc.expose_categories;
      if (f.expose != config::ExposeCategories::kFalse) {
        static const std::vector<std::string> kNone;
        f.categories.emplace(f.has_reference ? base.categorical.categories : kNone,
                             model_.settings.max_categories);
      }
    }
    f.has_reference_ratio = baseline_.rows > 0;
    if (!f.has_reference_ratio) continue;
    const auto rows = static_cast<double>(baseline_.rows);
    for (int st = 0; st < kValueStates; ++st) {
      f.reference_ratio[static_cast<std::size_t>(st)] =
          static_cast<double>(base.states[static_cast<std::size_t>(st)]) / rows;
    }
    f.reference_ratio[kOutOfRange] = static_cast<double>(reference_out_of_range) / rows;
    f.reference_ratio[0] -= f.reference_ratio[kOutOfRange];
  }
  if (!model_.record.request_id.empty()) duplicates_ = std::make_unique<DuplicateFilter>();
}

void ModelEngine::NoteRecordQuality(const Record& record) {
  unexpected_fields_ += record.unexpected_fields;
  const auto cap = static_cast<std::size_t>(kMaxUnexpectedFieldNames);
  for (std::uint32_t k = 0; k < record.unexpected_named && unexpected_names_.size() < cap; ++k) {
    const std::string_view name = record.unexpected_names[k];
    if (std::find(unexpected_names_.begin(), unexpected_names_.end(), name) ==
        unexpected_names_.end()) {
      unexpected_names_.emplace_back(name);
    }
  }
}

void ModelEngine::FillWindowQuality(const Bucket& merged, WindowView* out) const {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    auto& invalid = out->fields[i].invalid;
    for (std::size_t st = 1; st < invalid.size(); ++st) {
      invalid[st] = merged.invalid[i * kQualityStates + st];
    }
  }
}

void ModelEngine::FillFieldQuality(const Field& f, FieldInfo* info) const {
  info->has_reference_ratio = f.has_reference_ratio;
  info->reference_ratio = f.reference_ratio;
  info->expose_categories = f.expose;
  if (!f.categories) return;
  info->has_categories = true;
  const CategoryTable& t = *f.categories;
  if (f.expose == config::ExposeCategories::kHash) {
    info->category_names.reserve(t.names().size());
    for (const std::string& n : t.names()) info->category_names.push_back(CategoryHash(n));
  } else {
    info->category_names = t.names();
  }
  info->category_counts = t.counts();
  info->category_overflow = t.overflow();
}

void ModelEngine::FillModelQuality(ModelSnapshot* s) const {
  s->unexpected_fields = unexpected_fields_;
  s->unexpected_field_names = unexpected_names_;
  s->has_request_id = duplicates_ != nullptr;
  s->duplicate_request_ids = duplicate_ids_;
}

}  // namespace modelwatch::engine
