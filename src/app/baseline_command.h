// `modelwatch baseline`: profiles a model's reference into a baseline file (interface.md §1).
#ifndef MODELWATCH_APP_BASELINE_COMMAND_H_
#define MODELWATCH_APP_BASELINE_COMMAND_H_

#include <string>

namespace modelwatch::app {

struct BaselineOptions {
  std::string config_path;
  std::string model;      // empty: the configuration's only model
  std::string reference;  // empty: the model's reference; else read per reference.format
  std::string out;
};

// Returns the process exit code: 0 written, 1 unreadable configuration or reference or an
// unwritable output, 2 an unknown model.
int BaselineCommand(const BaselineOptions& options);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_BASELINE_COMMAND_H_
