#include "app/check.h"

#include <modelwatch/core/json_writer.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include <modelwatch/engine/model_engine.h>
#include <modelwatch/engine/quality_snapshot.h>
#include <modelwatch/parse/record_parser.h>

#include "app/cli.h"
#include "app/pipeline.h"
#include "app/reference.h"

namespace modelwatch::app {

namespace {

// One window longer than any log (about 31,700 years) holding every record fed at `now` = 0.
constexpr double kAllSeconds = 1e12;
constexpr double kNow = 0;

const char* TypeName(config::FeatureType t) {
  return t == config::FeatureType::kNumeric ? "numeric" : "categorical";
}

void FieldJson(JsonWriter& j, const engine::FieldInfo& info, const engine::FieldWindow& w) {
  j.Raw("{").Key("name").Str(info.name).Raw(",").Key("type").Str(TypeName(info.type));
  j.Raw(",").Key("method").Str(info.method).Raw(",").Key("score");
  if (w.scored) {
    j.Num(w.score).Raw(",").Key("threshold").Num(w.threshold);
  } else {
    j.Raw("null,").Key("threshold").Raw("null");
  }
  j.Raw(",").Key("drift_detected").Bool(w.detected).Raw(",").Key("values").Int(w.values);
  j.Raw(",").Key("invalid").Raw("{");
  bool first = true;
  for (int s = 1; s < engine::kQualityStates; ++s) {
    if (!engine::InvalidReasonApplies(s, info.type)) continue;
    if (!first) j.Raw(",");
    first = false;
    j.Key(engine::InvalidReasonName(s)).Int(static_cast<std::int64_t>(info.states_total[s]));
  }
  j.Raw("},").Key("invalid_share").Num(InvalidShare(info));
  j.Raw(",").Key("reference_invalid_share");
  if (info.has_reference_ratio) {
    j.Num(ReferenceInvalidShare(info));
  } else {
    j.Raw("null");
  }
  j.Raw(",").Key("quality_failed").Bool(QualityFails(info));
  j.Raw(",").Key("extra_scores").Raw("{");
  for (std::size_t k = 0; k < w.extra.size(); ++k) {
    if (k) j.Raw(",");
    j.Key(w.extra[k].method).Num(w.extra[k].score);
  }
  j.Raw("}}");
}

}  // namespace

config::ModelConfig CheckModel(const config::ModelConfig& model) {
  config::ModelConfig m = model;
  m.settings.windows = {{"all", kAllSeconds}};
  m.settings.buckets_per_window = 1;
  m.settings.time = config::TimeMode::kArrival;
  // Nothing in the report depends on request ids (duplicates) or latency: not reading them
  // saves a sixth of the time per line.
  m.record.request_id.clear();
  m.record.latency.reset();
  return m;
}

Result<CheckReport> RunCheck(const config::ModelConfig& model, engine::Baseline reference,
                             const std::string& current, CurrentFormat format, FailOn fail_on) {
  const config::ModelConfig m = CheckModel(model);
  parse::RecordLayout layout =
      format == CurrentFormat::kRows ? parse::LayoutForRows(m) : parse::LayoutFor(m);
  layout.timestamp.reset();  // one sample: time plays no part
  layout.timestamp_required = false;
  auto parser = parse::RecordParser::Create(layout);
  if (!parser.ok()) return parser.status();
  CheckReport report;
  report.reference_rows = reference.rows;
  report.min_samples = m.settings.drift.min_samples;
  report.drift_share = m.settings.drift.drift_share;
  auto engine = engine::ModelEngine::Create(m, std::move(reference));
  if (!engine.ok()) return engine.status();
  engine::ModelEngine& e = *engine.value();
  Status s = parse::ForEachJsonLine(
      current, *parser.value(), [&](std::uint64_t, parse::ParseOutcome o, const Record& record) {
        if (o == parse::ParseOutcome::kOk) {
          ++report.rows;
          e.OnRecord(record, kNow);
        } else {
          ++report.rejected_lines;
          e.OnRejected(ToReject(o));
        }
      });
  if (!s.ok()) return Status::Error("current: " + s.message());
  report.snapshot = e.Evaluate(kNow);
  report.exit_code = CheckExitCode(report.snapshot, fail_on);
  return report;
}

double InvalidShare(const engine::FieldInfo& f) {
  if (f.values_total == 0) return 0;
  std::uint64_t invalid = 0;
  for (int s = 1; s < engine::kQualityStates; ++s) invalid += f.states_total[s];
  return static_cast<double>(invalid) / static_cast<double>(f.values_total);
}

double ReferenceInvalidShare(const engine::FieldInfo& f) {
  if (!f.has_reference_ratio) return 0;
  double share = 0;
  for (int s = 1; s < engine::kQualityStates; ++s) share += f.reference_ratio[s];
  return share;
}

bool QualityFails(const engine::FieldInfo& f) {
  return InvalidShare(f) > ReferenceInvalidShare(f) + kQualityTolerance;
}

int CheckExitCode(const engine::ModelSnapshot& snapshot, FailOn fail_on) {
  if (fail_on == FailOn::kQuality) {
    for (const engine::FieldInfo& f : snapshot.fields) {
      if (QualityFails(f)) return kExitCheckFailed;
    }
  }
  const engine::WindowView& w = snapshot.windows.at(0);
  bool scored = false, drifted = false;
  for (const engine::FieldWindow& f : w.fields) {
    scored |= f.scored;
    drifted |= f.detected;
  }
  if (!scored) return kExitTooLittleData;
  if (fail_on == FailOn::kFeature && drifted) return kExitCheckFailed;
  if (fail_on == FailOn::kDataset && w.dataset_detected) return kExitCheckFailed;
  return kExitOk;
}

std::string CheckJson(const CheckReport& r) {
  const engine::ModelSnapshot& s = r.snapshot;
  const engine::WindowView& w = s.windows.at(0);
  JsonWriter j;
  j.Raw("{").Key("model").Str(s.name).Raw(",").Key("rows").Int(r.rows);
  j.Raw(",").Key("reference_rows").Int(r.reference_rows).Raw(",").Key("dataset").Raw("{");
  j.Key("drift_share");
  if (w.has_share) {
    j.Num(w.drift_share);
  } else {
    j.Raw("null");
  }
  j.Raw(",").Key("drift_detected").Bool(w.dataset_detected).Raw("}");
  for (const bool outputs : {false, true}) {
    j.Raw(",").Key(outputs ? "outputs" : "features").Raw("[");
    bool first = true;
    for (std::size_t i = 0; i < s.fields.size(); ++i) {
      if (s.fields[i].is_output != outputs) continue;
      if (!first) j.Raw(",");
      first = false;
      FieldJson(j, s.fields[i], w.fields[i]);
    }
    j.Raw("]");
  }
  // --labels: the realised metrics of window `all` (check_labels.h).
  if (s.labels && !s.labels->windows.empty() && !s.labels->windows[0].realised.empty()) {
    j.Raw(",").Key("model_quality").Raw("{");
    const char* sep = "";
    for (const engine::QualityMetric& q : s.labels->windows[0].realised) {
      j.Raw(sep).Key(q.name).Num(q.value);
      sep = ",";
    }
    j.Raw("}");
  }
  j.Raw(",").Key("exit_code").Int(r.exit_code).Raw("}");
  return j.Take();
}

}  // namespace modelwatch::app
