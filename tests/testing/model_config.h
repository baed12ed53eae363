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

}  // namespace modelwatch::testing

#endif  // MODELWATCH_TESTS_TESTING_MODEL_CONFIG_H_
