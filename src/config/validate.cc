#include "config/validate.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace modelwatch::config::internal {
namespace {

std::string At(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

// Features, outputs and reference.target share one namespace: they are row keys of the
// reference and label values of the same series. A clash is reported at the later occurrence
// in the file.
void CheckFieldNames(const ModelConfig& m, const std::string& where, const MarkIndex& marks,
                     ErrorSink* errors) {
  struct Use {
    std::string name, path;
    YAML::Mark mark;
  };
  std::vector<Use> uses;
  auto add = [&](const std::string& name, const std::string& path) {
    if (!name.empty()) uses.push_back({name, path, marks.Find(path)});
  };
  for (std::size_t i = 0; i < m.features.size(); ++i) {
    add(m.features[i].name, where + ".features[" + std::to_string(i) + "].name");
  }
  for (std::size_t i = 0; i < m.outputs.size(); ++i) {
    add(m.outputs[i].name, where + ".outputs[" + std::to_string(i) + "].name");
  }
  add(m.reference.target, where + ".reference.target");
  std::stable_sort(uses.begin(), uses.end(), [](const Use& a, const Use& b) {
    return std::pair(a.mark.line, a.mark.column) < std::pair(b.mark.line, b.mark.column);
  });
  std::map<std::string, YAML::Mark> first;
  for (const Use& u : uses) {
    auto [it, inserted] = first.emplace(u.name, u.mark);
    if (inserted) continue;
    errors->Add(u.mark, u.path + ": '" + u.name + "' is used twice in model '" + m.name +
                            "' (first at " + At(it->second) +
                            "); names are unique across features, outputs and reference.target");
  }
}

bool IsOutput(const ModelConfig& m, const std::string& name) {
  for (const FeatureConfig& f : m.outputs) {
    if (f.name == name) return true;
  }
  return false;
}

// The label is compared with `prediction` as a class (categorical) or a value (numeric); `score`
// is a probability; binary quality needs to know which class is positive.
void CheckGroundTruthTypes(const ModelConfig& m, const std::string& gw, const MarkIndex& marks,
                           ErrorSink* errors) {
  const GroundTruthConfig& gt = *m.ground_truth;
  const bool regression = gt.task == Task::kRegression;
  for (const FeatureConfig& f : m.outputs) {
    if (f.name == gt.prediction && (f.type == FeatureType::kNumeric) != regression) {
      errors->Add(marks.Find(gw + ".prediction"),
                  gw + ".prediction: output '" + f.name + "' must be " +
                      (regression ? "numeric for regression" : "categorical for classification"));
    }
    if (f.name == gt.score && f.type != FeatureType::kNumeric) {
      errors->Add(marks.Find(gw + ".score"),
                  gw + ".score: output '" + f.name + "' must be numeric (a probability)");
    }
  }
  if (gt.task == Task::kBinaryClassification && gt.positive_class.empty()) {
    errors->Add(marks.Find(gw), gw + ": binary_classification needs positive_class");
  }
}

void CheckGroundTruth(const ModelConfig& m, const std::string& where, const MarkIndex& marks,
                      ErrorSink* errors) {
  if (!m.ground_truth) return;
  const GroundTruthConfig& gt = *m.ground_truth;
  std::string gw = where + ".ground_truth";
  bool probabilities = false;  // `prediction` may name a type: probabilities output (argmax)
  for (const ProbabilitiesConfig& p : m.probabilities) probabilities |= p.name == gt.prediction;
  if (probabilities && gt.task == Task::kRegression) {
    errors->Add(marks.Find(gw + ".prediction"),
                gw + ".prediction: output '" + gt.prediction +
                    "' (type: probabilities) needs a classification task");
  }
  if (!gt.prediction.empty() && !IsOutput(m, gt.prediction) && !probabilities) {
    errors->Add(marks.Find(gw + ".prediction"), gw + ".prediction: '" + gt.prediction +
                                                    "' is not an output of model '" + m.name + "'");
  }
  if (!gt.score.empty() && !IsOutput(m, gt.score)) {
    errors->Add(marks.Find(gw + ".score"),
                gw + ".score: '" + gt.score + "' is not an output of model '" + m.name + "'");
  }
  if (m.record.request_id.empty() && !gt.from_predictions) {
    errors->Add(marks.Find(gw),
                gw + ": labels are joined by request id; set " + where + ".record.request_id");
  }
  CheckGroundTruthTypes(m, gw, marks, errors);
}

void CheckModel(const ModelConfig& m, const std::string& where, const MarkIndex& marks,
                ErrorSink* errors) {
  if (m.features.empty() && m.outputs.empty() && !m.infer_features) {
    errors->Add(marks.Find(where + ".features"),
                where + ": a model needs at least one feature or output");
  }
  CheckFieldNames(m, where, marks, errors);
  CheckGroundTruth(m, where, marks, errors);
  CheckShapes(m, where, marks, errors);
  if (m.settings.time == TimeMode::kEvent && !m.record.timestamp) {
    errors->Add(marks.Find(where),
                where + ": time: event needs record.timestamp; add record.timestamp " +
                    "{ path, format } or set `time: arrival` to use the time of reading");
  }
}

}  // namespace

void Validate(const Config& config, const MarkIndex& marks, ErrorSink* errors) {
  std::map<std::string, YAML::Mark> names;
  for (std::size_t i = 0; i < config.models.size(); ++i) {
    const ModelConfig& m = config.models[i];
    std::string where = "models[" + std::to_string(i) + "]";
    if (!m.name.empty()) {
      YAML::Mark mark = marks.Find(where + ".name");
      auto [it, inserted] = names.emplace(m.name, mark);
      if (!inserted) {
        errors->Add(mark, where + ".name: model '" + m.name + "' is used twice (first at " +
                              At(it->second) + ")");
      }
    }
    CheckModel(m, where, marks, errors);
  }
}

}  // namespace modelwatch::config::internal
