#include "app/reference.h"

#include <cstdio>

#include "app/cli.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <modelwatch/engine/baseline.h>
#include <modelwatch/parse/record_parser.h>

namespace modelwatch::app {

namespace {

// The reference's label column: text for classification, numbers for regression.
class TargetCollector {
 public:
  explicit TargetCollector(const config::ModelConfig& model)
      : numeric_(model.ground_truth && model.ground_truth->task == config::Task::kRegression) {}

  void Add(const FieldValue& v) {
    ValueState state = v.state;
    if (state == ValueState::kValid && numeric_) {
      double x = 0;
      const auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), x);
      if (r.ec != std::errc() || r.ptr != v.text.data() + v.text.size()) {
        state = ValueState::kTypeMismatch;
      } else if (!std::isfinite(x)) {
        state = ValueState::kNan;
      } else {
        numbers_.push_back(x);
      }
    } else if (state == ValueState::kValid) {
      texts_.Add(v.text);
    }
    ++states_[static_cast<int>(state)];
  }

  engine::FieldBaseline Build(const config::ModelSettings& s) && {
    engine::FieldBaseline f;
    f.states = states_;
    if (numeric_) {
      f.type = config::FeatureType::kNumeric;
      f.numeric =
          drift::BuildNumericReference(std::move(numbers_), s.drift.bin_kind, s.drift.bin_count);
    } else {
      f.type = config::FeatureType::kCategorical;
      f.categorical =
          drift::BuildCategoricalReferenceFromCounts(std::move(texts_), s.max_categories);
    }
    return f;
  }

 private:
  bool numeric_;
  std::vector<double> numbers_;
  drift::CategoryCounts texts_;
  std::array<std::int64_t, engine::kValueStates> states_{};
};

}  // namespace

Result<Reference> ProfileReference(const config::ModelConfig& model, const std::string& path,
                                   config::ReferenceFormat format) {
  const bool rows = format == config::ReferenceFormat::kRows;
  parse::RecordLayout layout = rows ? parse::LayoutForRows(model) : parse::LayoutFor(model);
  layout.timestamp.reset();  // a reference needs no time
  layout.timestamp_required = false;
  auto parser = parse::RecordParser::Create(layout);
  if (!parser.ok()) return parser.status();
  engine::BaselineBuilder builder(model);
  const std::size_t n_fields = model.features.size() + model.outputs.size();
  const bool with_target = rows && !model.reference.target.empty();
  TargetCollector target(model);
  Reference ref;
  Status s = parse::ForEachJsonLine(
      path, *parser.value(), [&](std::uint64_t, parse::ParseOutcome outcome, const Record& record) {
        if (outcome != parse::ParseOutcome::kOk) {
          ++ref.file.rejected_lines;
          return;
        }
        builder.Add(record);
        if (with_target) target.Add(record.fields[n_fields]);
      });
  if (!s.ok()) return Status::Error("model " + model.name + ": reference: " + s.message());
  ref.file.model = model.name;
  ref.file.reference_path = path;
  ref.file.reference_format = rows ? "rows" : "log";
  ref.file.baseline = std::move(builder).Build();
  if (with_target) {
    ref.file.target =
        state::TargetProfile{model.reference.target, std::move(target).Build(model.settings)};
  }
  return ref;
}

Result<Reference> LoadReferenceAt(const config::ModelConfig& model, const std::string& path,
                                  config::ReferenceFormat format) {
  if (!state::IsBaselineFile(path)) return ProfileReference(model, path, format);
  Result<state::LoadedBaseline> loaded = state::ReadBaselineFile(path, model);
  if (!loaded.ok()) return Status::Error("model " + model.name + ": " + loaded.status().message());
  Reference ref;
  ref.file = std::move(loaded.value().file);
  ref.warnings = std::move(loaded.value().warnings);
  return ref;
}

Result<Reference> LoadModelReference(const config::ModelConfig& model) {
  const config::ReferenceConfig& r = model.reference;
  if (r.baseline.empty()) return LoadReferenceAt(model, r.path, r.format);
  Result<state::LoadedBaseline> loaded = state::ReadBaselineFile(r.baseline, model);
  if (!loaded.ok()) return Status::Error("model " + model.name + ": " + loaded.status().message());
  Reference ref;
  ref.file = std::move(loaded.value().file);
  ref.warnings = std::move(loaded.value().warnings);
  return ref;
}

Result<const config::ModelConfig*> SelectModel(const config::Config& config,
                                               const std::string& name) {
  std::string names;
  for (const config::ModelConfig& m : config.models) {
    if (m.name == name || (name.empty() && config.models.size() == 1)) return &m;
    names += (names.empty() ? "" : ", ") + m.name;
  }
  if (name.empty()) return Status::Error("--model is needed: the configuration has " + names);
  return Status::Error("no model " + name + " in " + config.file + " (it has " + names + ")");
}

int LoadModelForCommand(const char* command, const std::string& config_path,
                        const std::string& model_name, const std::string& reference_path,
                        config::ModelConfig* model, std::optional<Reference>* reference) {
  auto say = [command](const std::string& message) {
    std::fprintf(stderr, "modelwatch %s: %s\n", command, message.c_str());
  };
  config::LoadResult loaded = config::LoadConfigFile(config_path);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return kExitError;
  }
  Result<const config::ModelConfig*> selected = SelectModel(*loaded.config, model_name);
  if (!selected.ok()) {
    say(selected.status().message());
    return kExitUsage;
  }
  *model = *selected.value();
  Result<std::vector<std::string>> inferred =
      reference_path.empty() ? InferModelFeatures(model)
                             : InferFeatures(model, reference_path, model->reference.format);
  if (!inferred.ok()) {
    say(inferred.status().message());
    return kExitError;
  }
  for (const auto& w : inferred.value()) say("warning: " + w);
  Result<Reference> ref = reference_path.empty()
                              ? LoadModelReference(*model)
                              : LoadReferenceAt(*model, reference_path, model->reference.format);
  if (!ref.ok()) {
    say(ref.status().message());
    return kExitError;
  }
  for (const auto& w : ref.value().warnings) say("warning: " + w);
  if (ref.value().file.rejected_lines > 0) {
    say("warning: " + std::to_string(ref.value().file.rejected_lines) +
        " reference lines were not JSON objects and were skipped");
  }
  reference->emplace(std::move(ref).value());
  return kExitOk;
}

}  // namespace modelwatch::app
