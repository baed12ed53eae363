// The per-field state of ModelEngine (private to the engine module).
#ifndef MODELWATCH_ENGINE_FIELD_H_
#define MODELWATCH_ENGINE_FIELD_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <modelwatch/engine/model_engine.h>

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
  std::array<std::uint64_t, 6> states{};
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_FIELD_H_
