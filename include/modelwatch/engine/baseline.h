// The reference profile of a model: one NumericReference or CategoricalReference per configured
// feature and output (configuration order), built from reference rows. Pure.
#ifndef MODELWATCH_ENGINE_BASELINE_H_
#define MODELWATCH_ENGINE_BASELINE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>
#include <modelwatch/drift/binning.h>

namespace modelwatch::engine {

inline constexpr int kValueStates = 6;  // ValueState values, kValid included

struct FieldBaseline {
  config::FeatureType type = config::FeatureType::kNumeric;
  drift::NumericReference numeric;                  // when numeric
  drift::CategoricalReference categorical;          // when categorical
  std::array<std::int64_t, kValueStates> states{};  // reference rows per ValueState
};

struct Baseline {
  std::int64_t rows = 0;
  std::vector<FieldBaseline> fields;  // features then outputs
};

// Collects reference rows (parsed with parse::LayoutForRows; a trailing target slot is
// ignored here) and builds the Baseline with the model's bin settings.
class BaselineBuilder {
 public:
  explicit BaselineBuilder(const config::ModelConfig& model);
  void Add(const Record& row);
  Baseline Build() &&;

 private:
  const config::ModelConfig& model_;
  std::int64_t rows_ = 0;
  std::vector<std::vector<double>> numbers_;
  std::vector<drift::CategoryCounts> texts_;
  std::vector<std::array<std::int64_t, kValueStates>> states_;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_BASELINE_H_
