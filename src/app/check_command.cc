// `modelwatch check` as a command: configuration, reference, CURRENT, report, exit code.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>

#include "app/check.h"
#include "app/check_labels.h"
#include "app/cli.h"
#include "app/reference.h"

namespace modelwatch::app {

namespace {

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string InvalidSummary(const engine::FieldInfo& f) {
  std::string out;
  for (int s = 1; s < engine::kQualityStates; ++s) {
    if (f.states_total[s] == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::string(engine::InvalidReasonName(s)) + " " + std::to_string(f.states_total[s]);
  }
  return out.empty() ? "-" : out;
}

const char* FailOnName(FailOn f) {
  switch (f) {
    case FailOn::kFeature:
      return "feature";
    case FailOn::kDataset:
      return "dataset";
    case FailOn::kQuality:
      return "quality";
    case FailOn::kNone:
      return "none";
  }
  return "feature";
}

void Warn(const std::string& message) {
  std::fprintf(stderr, "modelwatch check: %s\n", message.c_str());
}

}  // namespace

std::string CheckText(const CheckReport& r, FailOn fail_on) {
  const engine::ModelSnapshot& s = r.snapshot;
  const engine::WindowView& w = s.windows.at(0);
  std::size_t width = 7;  // "FEATURE"
  for (const auto& f : s.fields) width = std::max(width, f.name.size());
  std::string out = "model " + s.name + ": " + std::to_string(r.rows) + " rows against " +
                    std::to_string(r.reference_rows) + " reference rows (window all)\n";
  if (r.rejected_lines > 0) {
    out += std::to_string(r.rejected_lines) + " lines of CURRENT were not JSON objects\n";
  }
  char line[1024];
  bool any_unscored = false;
  std::vector<std::string> drifted;
  std::string degraded;  // fields failing the quality rule, with their shares
  for (const bool outputs : {false, true}) {
    std::snprintf(line, sizeof line, "\n%-*s  %-11s  %-13s  %11s  %9s  %-5s  %9s  %8s  %s\n",
                  static_cast<int>(width), outputs ? "OUTPUT" : "FEATURE", "TYPE", "METHOD",
                  "SCORE", "THRESHOLD", "DRIFT", "VALUES", "INVALID", "REASONS");
    bool header = false;
    for (std::size_t i = 0; i < s.fields.size(); ++i) {
      const engine::FieldInfo& f = s.fields[i];
      if (f.is_output != outputs) continue;
      if (!header) out += line;
      header = true;
      const engine::FieldWindow& fw = w.fields[i];
      any_unscored |= !fw.scored;
      if (fw.detected) drifted.push_back(f.name);
      if (QualityFails(f)) {
        degraded += (degraded.empty() ? "" : ", ") + f.name + " " +
                    Format("%.2f%%", 100 * InvalidShare(f)) + " (reference " +
                    Format("%.2f%%", 100 * ReferenceInvalidShare(f)) + ")";
      }
      std::snprintf(line, sizeof line, "%-*s  %-11s  %-13s  %11s  %9s  %-5s  %9lld  %8s  %s\n",
                    static_cast<int>(width), f.name.c_str(),
                    f.type == config::FeatureType::kNumeric ? "numeric" : "categorical", f.method,
                    fw.scored ? Format("%.6g", fw.score).c_str() : "-",
                    fw.scored ? Format("%g", fw.threshold).c_str() : "-",
                    fw.scored ? (fw.detected ? "YES" : "no") : "n/a",
                    static_cast<long long>(fw.values),
                    Format("%.2f%%", 100 * InvalidShare(f)).c_str(), InvalidSummary(f).c_str());
      out += line;
    }
  }
  out += "\n";
  if (any_unscored) {
    out += "n/a: fewer than min_samples (" + std::to_string(r.min_samples) +
           ") valid values, or no reference values\n";
  }
  if (w.has_share) {
    out += "dataset drift: " + std::to_string(w.features_drifted) + " of " +
           std::to_string(w.features_scored) + " features drifted (share " +
           Format("%.4g", w.drift_share) + ", threshold " + Format("%g", r.drift_share) +
           "): " + (w.dataset_detected ? "YES" : "no") + "\n";
  }
  out += "data quality: " +
         (degraded.empty() ? "no field's invalid share exceeds its reference's by more than " +
                                 Format("%g", kQualityTolerance)
                           : "invalid share above the reference's + " +
                                 Format("%g", kQualityTolerance) + " in " + degraded) +
         "\n";
  std::string result;
  if (fail_on == FailOn::kQuality && r.exit_code == kExitCheckFailed) {
    result = "data quality degraded";
  } else if (r.exit_code == kExitTooLittleData) {
    result = "too little data: no feature or output reached min_samples";
  } else if (drifted.empty()) {
    result = "no drift";
  } else {
    result = "drift in";
    for (const auto& d : drifted) result += " " + d;
  }
  out += "result: " + result + "; exit " + std::to_string(r.exit_code) + " (--fail-on " +
         FailOnName(fail_on) + ")\n";
  return out;
}

int Check(const CheckOptions& o) {
  config::ModelConfig m;
  std::optional<Reference> ref;
  if (int rc = LoadModelForCommand("check", o.config_path, o.model, o.reference, &m, &ref);
      rc != kExitOk) {
    return rc;
  }
  Result<CheckReport> report =
      RunCheck(m, std::move(ref->file.baseline), o.current, o.current_format, o.fail_on);
  if (!report.ok()) {
    Warn("model " + m.name + ": " + report.status().message());
    return kExitError;
  }
  if (!o.labels.empty()) {
    auto quality = CheckLabels(m, *ref, o.current, o.current_format, o.labels);
    if (!quality.ok()) {
      Warn("model " + m.name + ": " + quality.status().message());
      return kExitError;
    }
    report.value().snapshot.labels = std::move(quality).value();
  }
  const CheckReport& r = report.value();
  if (o.json) {
    std::printf("%s\n", CheckJson(r).c_str());
    if (r.rejected_lines > 0) {
      Warn("warning: " + std::to_string(r.rejected_lines) +
           " lines of CURRENT were not JSON objects and were skipped");
    }
  } else {
    std::fputs(CheckText(r, o.fail_on).c_str(), stdout);
    if (r.snapshot.labels) std::fputs(CheckLabelsText(*r.snapshot.labels).c_str(), stdout);
  }
  if (std::fflush(stdout) != 0) return kExitError;
  return r.exit_code;
}

}  // namespace modelwatch::app
