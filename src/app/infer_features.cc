// `features: { infer: { under, max } }` (reference.h): which keys of the reference become
// features. The JSON walk is parse::InferFields; the policy is here.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <modelwatch/parse/baseline_json.h>
#include <modelwatch/parse/infer_fields.h>
#include <modelwatch/state/baseline_file.h>

#include "app/reference.h"

namespace modelwatch::app {
namespace {

// The configured names' rule ([a-zA-Z_][a-zA-Z0-9_.:-]*), and at most 128 bytes, so that every
// inferred name is a label value that no other name can collide with once sanitised.
constexpr std::size_t kMaxInferredNameBytes = 128;

bool IsInferableName(const std::string& name) {
  if (name.empty() || name.size() > kMaxInferredNameBytes) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-';
  });
}

// "a, b, c and 4 more": at most three names, each cut to 40 bytes.
std::string Some(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i) {
    out += (i ? ", '" : "'") + names[i].substr(0, 40) + "'";
  }
  if (names.size() > 3) out += " and " + std::to_string(names.size() - 3) + " more";
  return out;
}

// Pointers a feature must not take or sit above: the record's and the outputs'.
std::vector<std::string> TakenPointers(const config::ModelConfig& m) {
  std::vector<std::string> taken;
  const config::RecordConfig& r = m.record;
  if (r.timestamp) taken.push_back(r.timestamp->path);
  if (r.latency) taken.push_back(r.latency->path);
  for (const std::string& p : {r.request_id, r.model_version}) {
    if (!p.empty()) taken.push_back(p);
  }
  for (const config::FeatureConfig& o : m.outputs) taken.push_back(o.path);
  return taken;
}

bool Clashes(const std::string& pointer, const std::vector<std::string>& taken) {
  return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) {
    return t == pointer || (t.size() > pointer.size() &&
                            t.compare(0, pointer.size(), pointer) == 0 && t[pointer.size()] == '/');
  });
}

struct Candidate {
  std::string name;
  config::FeatureType type;
};

// The feature fields of a baseline file, by name.
Result<std::vector<Candidate>> FromBaselineFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot be read");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<parse::BaselineDocument> doc = parse::ParseBaselineDocument(text);
  if (!doc.ok()) return Status::Error(path + ": " + doc.status().message());
  std::vector<Candidate> out;
  for (const parse::BaselineFieldDoc& f : doc.value().fields) {
    if (f.role != "feature") continue;
    out.push_back({f.name, f.type == "numeric" ? config::FeatureType::kNumeric
                                               : config::FeatureType::kCategorical});
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.name < b.name; });
  return out;
}

}  // namespace

Result<std::vector<std::string>> InferFeatures(config::ModelConfig* model, const std::string& path,
                                               config::ReferenceFormat format) {
  if (!model->infer_features) return std::vector<std::string>{};
  const config::FeatureInference& infer = *model->infer_features;
  const std::string where = "model " + model->name + ": features.infer: ";
  std::vector<std::string> warnings;
  std::vector<Candidate> candidates;
  if (state::IsBaselineFile(path)) {
    Result<std::vector<Candidate>> from = FromBaselineFile(path);
    if (!from.ok()) return Status::Error(where + from.status().message());
    candidates = std::move(from.value());
  } else {
    const bool rows = format == config::ReferenceFormat::kRows;
    Result<parse::InferredFields> found = parse::InferFields(path, rows ? "" : infer.under);
    if (!found.ok()) return Status::Error(where + found.status().message());
    for (parse::InferredField& f : found.value().fields) {
      candidates.push_back({std::move(f.key), f.type});
    }
    if (!found.value().non_scalar.empty()) {
      warnings.push_back(
          where + std::to_string(found.value().non_scalar.size()) +
          " keys hold objects or arrays and are not monitored: " + Some(found.value().non_scalar));
    }
  }
  std::set<std::string, std::less<>> excluded;
  for (const config::FeatureConfig& o : model->outputs) excluded.insert(o.name);
  if (!model->reference.target.empty()) excluded.insert(model->reference.target);
  const std::vector<std::string> taken = TakenPointers(*model);
  std::vector<std::string> bad_names, over_max;
  std::vector<config::FeatureConfig> features;
  for (Candidate& c : candidates) {
    if (excluded.count(c.name)) continue;
    std::string pointer = parse::ChildPointer(infer.under, c.name);
    if (Clashes(pointer, taken)) continue;
    if (!IsInferableName(c.name)) {
      bad_names.push_back(std::move(c.name));
      continue;
    }
    if (features.size() >= static_cast<std::size_t>(infer.max)) {
      over_max.push_back(std::move(c.name));
      continue;
    }
    config::FeatureConfig f;
    f.name = std::move(c.name);
    f.path = std::move(pointer);
    f.type = c.type;
    features.push_back(std::move(f));
  }
  if (!bad_names.empty()) {
    warnings.push_back(where + std::to_string(bad_names.size()) +
                       " keys are not usable as feature names ([a-zA-Z_][a-zA-Z0-9_.:-]*, at "
                       "most 128 bytes) and are not monitored: " +
                       Some(bad_names));
  }
  if (!over_max.empty()) {
    warnings.push_back(where + std::to_string(over_max.size()) + " more keys past max " +
                       std::to_string(infer.max) + " are ignored: " + Some(over_max));
  }
  if (features.empty()) {
    const std::string none =
        where + "no feature found in " + path +
        (format == config::ReferenceFormat::kLog && !infer.under.empty() ? " under " + infer.under
                                                                         : std::string());
    // A model needs at least one feature or output (as check-config says of explicit lists).
    if (model->outputs.empty()) return Status::Error(none);
    warnings.push_back(none + "; only the outputs are monitored");
  }
  model->features = std::move(features);
  model->infer_features.reset();
  return warnings;
}

Result<std::vector<std::string>> InferModelFeatures(config::ModelConfig* model) {
  const config::ReferenceConfig& r = model->reference;
  return InferFeatures(model, r.baseline.empty() ? r.path : r.baseline, r.format);
}

}  // namespace modelwatch::app
