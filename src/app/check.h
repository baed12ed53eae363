// `modelwatch check`: an offline drift report for experiments and CI gates (interface.md §1).
// CURRENT is one sample, reported as window `all`: the daemon's ModelEngine over a copy of the
// model whose only window holds every record (time: arrival, one constant `now`), so the numbers
// are the daemon's numbers.
#ifndef MODELWATCH_APP_CHECK_H_
#define MODELWATCH_APP_CHECK_H_

#include <cstdint>
#include <string>

#include <modelwatch/config/config.h>
#include <modelwatch/core/status.h>
#include <modelwatch/engine/baseline.h>
#include <modelwatch/engine/snapshot.h>

namespace modelwatch::app {

enum class FailOn { kFeature, kDataset, kQuality, kNone };
enum class CurrentFormat { kLog, kRows };

struct CheckOptions {
  std::string config_path;
  std::string model;  // empty: the configuration's only model
  std::string current;
  CurrentFormat current_format = CurrentFormat::kLog;
  std::string reference;  // empty: the model's; else rows/log per reference.format, or a
                          // baseline file
  FailOn fail_on = FailOn::kFeature;
  bool json = false;
  std::string labels;  // a label log: model quality (check_labels.h)
};

struct CheckReport {
  engine::ModelSnapshot snapshot;  // one window, "all"
  std::int64_t rows = 0;           // records of CURRENT (lines that parsed as objects)
  std::int64_t reference_rows = 0;
  std::uint64_t rejected_lines = 0;  // lines of CURRENT that did not
  std::int64_t min_samples = 0;      // the model's settings, for the text report
  double drift_share = 0;
  int exit_code = 0;
};

// The window `check` reports: every record of CURRENT.
config::ModelConfig CheckModel(const config::ModelConfig& model);

// Reads CURRENT (log lines with the model's record pointers, or rows keyed by name) through the
// engine against `reference` and evaluates it. Fails when CURRENT cannot be read or the engine
// cannot be built (a method that does not apply, ...).
Result<CheckReport> RunCheck(const config::ModelConfig& model, engine::Baseline reference,
                             const std::string& current, CurrentFormat format, FailOn fail_on);

// `--fail-on quality` fails when a field's invalid share exceeds its reference's by more than
// this (absolute; 0.05 = five percentage points).
inline constexpr double kQualityTolerance = 0.05;

// The share of the values looked at that were invalid, any reason (out_of_range and
// unseen_category included); 0 when none was looked at.
double InvalidShare(const engine::FieldInfo& field);
// The same share in the reference rows (out_of_range only with a configured range;
// unseen_category is 0 there by definition); 0 without reference rows.
double ReferenceInvalidShare(const engine::FieldInfo& field);
// Whether the field fails `--fail-on quality`: InvalidShare > ReferenceInvalidShare + tolerance.
bool QualityFails(const engine::FieldInfo& field);

// quality: 3 when any feature or output fails QualityFails, else 4 when no feature or output
// reached min_samples, else 0 (a quality failure needs no min_samples: a schema change that
// leaves every value missing is the case it is for). Others: 4 when no feature or output reached
// min_samples; else 3 when --fail-on finds what it names (feature: any feature or output
// drifted; dataset: dataset drift; none: never); else 0.
int CheckExitCode(const engine::ModelSnapshot& snapshot, FailOn fail_on);

// The object of interface.md §1 (one line, no trailing newline).
std::string CheckJson(const CheckReport& report);
// A readable table, one line per feature and output.
std::string CheckText(const CheckReport& report, FailOn fail_on);

// The whole command: returns the process exit code, prints the report on stdout and problems on
// stderr.
int Check(const CheckOptions& options);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_CHECK_H_
