// Reading a `modelwatch baseline` file (docs/offline-check.md, "The baseline file") into plain
// values. This is only the JSON part: the shape is checked here, the meaning (fields against the
// model, summaries against the values) in state::ReadBaselineFile. simdjson stays in this module.
#ifndef MODELWATCH_PARSE_BASELINE_JSON_H_
#define MODELWATCH_PARSE_BASELINE_JSON_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <modelwatch/core/status.h>

namespace modelwatch::parse {

// The file's first key and value: {"format":"modelwatch-baseline", ...}.
inline constexpr std::string_view kBaselineFormat = "modelwatch-baseline";
// Bumped on any change an older reader would misread; unknown keys are ignored, so adding a key
// does not bump it.
inline constexpr std::int64_t kBaselineFormatVersion = 1;
// Keys of a field's "states" object, in ValueState order (index 0 = valid).
inline constexpr std::array<std::string_view, 6> kValueStateNames = {
    "valid", "missing", "null", "nan", "empty", "type_mismatch"};

// One feature, output or the target, as written.
struct BaselineFieldDoc {
  std::string name;
  std::string role;  // "feature", "output" or "target"
  std::string type;  // "numeric" or "categorical"
  std::string path;  // the configured JSON Pointer when written ("" for the target)
  std::array<std::int64_t, 6> states{};  // reference rows per value state; absent keys are 0
  std::int64_t count = 0;                // valid values
  // Numeric: the summaries as written (nullopt when null) and the valid values, ascending,
  // with "value_runs" expanded. bin_kind/bin_count record the settings used when written.
  std::int64_t distinct = 0;
  std::optional<double> min, max, mean, std;
  std::vector<double> values;
  std::string bin_kind;
  std::int64_t bin_count = 0;
  // Categorical: every category with its count, in file order.
  std::vector<std::pair<std::string, std::int64_t>> categories;
};

struct BaselineDocument {
  std::int64_t format_version = 0;
  std::string creator;
  std::string created;
  std::string model;
  std::string reference_path;
  std::string reference_format;
  std::int64_t rejected_lines = 0;
  std::int64_t rows = 0;
  std::vector<BaselineFieldDoc> fields;  // features and outputs, in file order
  std::optional<BaselineFieldDoc> target;
};

// Parses and shape-checks a baseline document. Errors name the place: "fields[2] (amount):
// values[17]: not a finite number". A format_version other than kBaselineFormatVersion fails.
Result<BaselineDocument> ParseBaselineDocument(std::string_view json);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_BASELINE_JSON_H_
