// The per-field state of ModelEngine (private to the engine module).
#ifndef MODELWATCH_ENGINE_FIELD_H_
#define MODELWATCH_ENGINE_FIELD_H_

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <modelwatch/engine/model_engine.h>

#include "engine/category_index.h"
#include "engine/category_table.h"
#include "engine/duplicate_filter.h"

namespace modelwatch::engine {

struct ModelEngine::Field {
  std::string name;
  bool is_output = false;
  config::FeatureType type = config::FeatureType::kNumeric;
  const FieldBaseline* base = nullptr;
  bool has_reference = false;
  config::DriftMethod method = config::DriftMethod::kJensenShannon;
  double threshold = 0;
  std::vector<config::DriftMethod> extra;
  std::size_t offset = 0;      // first bin in Bucket::counts
  int bins = 1;                // fine bins (numeric) or drift bins (categorical)
  int coarse = 1;              // drift bins
  std::size_t sum_offset = 0;  // numeric: Bucket::sums[sum_offset], [sum_offset + 1]
  std::vector<std::uint64_t> bin_observations;
  std::uint64_t values_total = 0;
  std::array<std::uint64_t, kQualityStates> states{};  // per quality state, 0 = valid
  // Data quality (SetUpQuality). Numeric: a valid value outside [valid_min, valid_max] is
  // out_of_range (the configured range, an absent bound open; else the reference's range).
  double valid_min = -std::numeric_limits<double>::infinity();
  double valid_max = std::numeric_limits<double>::infinity();
  bool has_reference_ratio = false;
  std::array<double, kQualityStates> reference_ratio{};
  config::ExposeCategories expose = config::ExposeCategories::kTrue;
  std::optional<CategoryTable> categories;  // categorical fields unless expose is false
  CategoryIndex index;                      // categorical with a reference: bin and seen
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_FIELD_H_
