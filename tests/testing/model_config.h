// Small builders of configuration values for unit tests.
#ifndef MODELWATCH_TESTS_TESTING_MODEL_CONFIG_H_
#define MODELWATCH_TESTS_TESTING_MODEL_CONFIG_H_

#include <string>

#include <modelwatch/config/config.h>

namespace modelwatch::testing {

// A feature or output named `name` at `prefix` + name (a JSON Pointer), every other key at its
// default.
inline config::FeatureConfig Field(const char* name, config::FeatureType type,
                                   const std::string& prefix = "/") {
  config::FeatureConfig f;
  f.name = name;
  f.path = prefix + name;
  f.type = type;
  return f;
}

// The engine tests' model "m": numeric x and categorical c, numeric output y, windows 1m and 1h
// of 6 buckets, PSI with min_samples 50.
inline config::ModelConfig SmallEngineModel() {
  config::ModelConfig m;
  m.name = "m";
  m.features = {Field("x", config::FeatureType::kNumeric),
                Field("c", config::FeatureType::kCategorical)};
  m.outputs = {Field("y", config::FeatureType::kNumeric)};
  m.settings.windows = {{"1m", 60}, {"1h", 3600}};
  m.settings.buckets_per_window = 6;
  m.settings.drift.method = config::DriftMethod::kPsi;
  m.settings.drift.min_samples = 50;
  return m;
}

}  // namespace modelwatch::testing

#endif  // MODELWATCH_TESTS_TESTING_MODEL_CONFIG_H_
