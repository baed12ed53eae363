// A model's reference, from wherever it lives: raw rows, sampled log lines, or a baseline file
// (statistics.md §2). Used by the daemon, `check` and `baseline`, so all three see the same
// profile.
#ifndef MODELWATCH_APP_REFERENCE_H_
#define MODELWATCH_APP_REFERENCE_H_

#include <optional>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/status.h>
#include <modelwatch/state/baseline_file.h>

namespace modelwatch::app {

struct Reference {
  // The profile (features then outputs) and, for rows with reference.target, the target.
  // creator/created are set only when it was read from a baseline file.
  state::BaselineFile file;
  // Worth telling the user, not fatal (a baseline file written for another path, ...).
  std::vector<std::string> warnings;
};

// Profiles a JSON-lines reference: kRows reads flat rows keyed by feature/output name (and the
// target under reference.target), kLog reads the source's record pointers. Lines that are not
// JSON objects are skipped and counted in file.rejected_lines. Fails when unreadable.
Result<Reference> ProfileReference(const config::ModelConfig& model, const std::string& path,
                                   config::ReferenceFormat format);
// `path` as a baseline file when it starts like one (state::IsBaselineFile), else as
// ProfileReference reads it.
Result<Reference> LoadReferenceAt(const config::ModelConfig& model, const std::string& path,
                                  config::ReferenceFormat format);
// The model's configured reference: reference.baseline, else reference.path (read like
// LoadReferenceAt, so a baseline file given as reference.path works too).
Result<Reference> LoadModelReference(const config::ModelConfig& model);

// `features: { infer: { under, max } }`: replaces model->features with the fields the reference
// at `path` holds, before anything is built from the model (parser layouts, engine, baseline).
// - format rows: the keys of the rows; log: the keys of the object at `under` in the lines; a
//   baseline file: its fields whose role is feature.
// - Each key becomes a feature named after it, at path `under`/key (RFC 6901 escaped), numeric
//   when every deciding value is a JSON number, else categorical (parse::InferredField::type).
// - Left out: reference.target, the outputs' names, keys at or above a configured record or
//   output pointer, keys holding objects or arrays, and keys that are not valid field names
//   ([a-zA-Z_][a-zA-Z0-9_.:-]*, at most 128 bytes).
// - At most `max` features, by name in byte order; the rest are ignored.
// Returns the warnings (keys left out, the cap reached) and clears model->infer_features; a
// no-op without it. Fails when the reference cannot be read, or nothing is found and the model
// has no outputs.
Result<std::vector<std::string>> InferFeatures(config::ModelConfig* model, const std::string& path,
                                               config::ReferenceFormat format);
// The same from the model's configured reference (reference.baseline, else reference.path).
Result<std::vector<std::string>> InferModelFeatures(config::ModelConfig* model);

// The model named `name` in `config`; with an empty name, the only model. The error lists the
// models there are.
Result<const config::ModelConfig*> SelectModel(const config::Config& config,
                                               const std::string& name);

// What `check` and `baseline` share: load the configuration, pick the model (`model_name`, or
// the only one), infer its features and load its reference (`reference_path` overrides the
// configured one). Problems and warnings go to stderr after "modelwatch <command>: ". Returns
// kExitOk with *model and *reference set, else the exit code (kExitError or kExitUsage).
int LoadModelForCommand(const char* command, const std::string& config_path,
                        const std::string& model_name, const std::string& reference_path,
                        config::ModelConfig* model, std::optional<Reference>* reference);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_REFERENCE_H_
