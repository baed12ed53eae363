// The baseline file written by `modelwatch baseline` and read by the daemon (`reference.baseline`)
// and by `modelwatch check`: a versioned JSON document (docs/offline-check.md, "The baseline
// file") holding, per feature and output, the reference's value-state counts and either the
// sorted valid values (numeric) or every category's count (categorical). The drift bins are
// rebuilt from those values on load, with the model's current bin settings, so a baseline file
// and the raw reference rows it was written from give bit-identical numbers.
#ifndef MODELWATCH_STATE_BASELINE_FILE_H_
#define MODELWATCH_STATE_BASELINE_FILE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/status.h>
#include <modelwatch/engine/baseline.h>

namespace modelwatch::state {

// The label distribution of the reference (`reference.target`): categorical for
// classification, numeric for regression.
struct TargetProfile {
  std::string name;
  engine::FieldBaseline profile;
};

struct BaselineFile {
  std::string model;
  std::string creator;           // "modelwatch 0.1.0 (revision 1a2b3c)"
  std::string created;           // RFC 3339, UTC
  std::string reference_path;    // what was profiled
  std::string reference_format;  // "rows", "log" or "baseline"
  std::uint64_t rejected_lines = 0;
  engine::Baseline baseline;  // features then outputs, in the model's order
  std::optional<TargetProfile> target;
};

// The document for `model` (whose features/outputs `file.baseline` follows). Numbers are
// written in shortest round-trip form, so reading them back gives the same bits.
std::string SerializeBaselineFile(const config::ModelConfig& model, const BaselineFile& file);

// Writes `content` to `path` atomically: a temporary file in the same directory, fsync, rename,
// fsync of the directory. On failure `path` is untouched and the temporary file removed.
Status WriteFileAtomically(const std::string& path, std::string_view content);

// SerializeBaselineFile + WriteFileAtomically.
Status WriteBaselineFile(const std::string& path, const config::ModelConfig& model,
                         const BaselineFile& file);

struct LoadedBaseline {
  BaselineFile file;
  // Harmless differences: another model name, a field's path or role changed since writing,
  // fields the model no longer configures.
  std::vector<std::string> warnings;
};

// Reads a baseline file for `model`: the shape and version are checked, every configured
// feature and output must be present with the same type (each one missing or mismatched is
// named, one per line), and each field's written summaries must match its values. Bins are
// rebuilt with the model's bin settings and max_categories.
Result<LoadedBaseline> ReadBaselineFile(const std::string& path, const config::ModelConfig& model);
// The same from the document's text; `name` prefixes messages.
Result<LoadedBaseline> ParseBaselineFile(std::string_view json, const config::ModelConfig& model,
                                         const std::string& name);

// True when the file at `path` starts like a baseline file ({"format":"modelwatch-baseline").
bool IsBaselineFile(const std::string& path);

}  // namespace modelwatch::state

#endif  // MODELWATCH_STATE_BASELINE_FILE_H_
