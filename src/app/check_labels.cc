#include "app/check_labels.h"

#include <cstdio>
#include <limits>

#include <modelwatch/engine/ground_truth.h>
#include <modelwatch/parse/record_parser.h>

#include "app/label_pipeline.h"
#include "app/pipeline.h"

namespace modelwatch::app {

namespace {
constexpr double kNow = 2e9;
constexpr double kForever = 1e15;
}  // namespace

Result<std::shared_ptr<engine::LabelsView>> CheckLabels(const config::ModelConfig& model,
                                                        const Reference& reference,
                                                        const std::string& current,
                                                        CurrentFormat format,
                                                        const std::string& labels) {
  if (!model.ground_truth) {
    return Status::Error("--labels needs ground_truth in the model's configuration");
  }
  // Log shapes: `check` reads CURRENT and the labels with the flat parser.
  if (model.ground_truth->from_predictions) {
    return Status::Error(
        "--labels: this model's labels are in its prediction lines (ground_truth.source: "
        "predictions); run `modelwatch run --one-shot` on the log for its quality");
  }
  if (!model.ground_truth->record.decode.empty() || model.ground_truth->record.batch) {
    return Status::Error(
        "--labels: ground_truth.record.decode and .batch are read by `modelwatch run` only; "
        "run `modelwatch run --one-shot` with the label log as ground_truth.source");
  }
  config::ModelConfig m = model;
  config::GroundTruthConfig& gt = *m.ground_truth;
  gt.windows = {{"all", kForever}};
  gt.join_ttl = kForever;
  gt.min_samples = 1;
  gt.max_pending = std::numeric_limits<std::uint64_t>::max();
  gt.max_pending_labels = std::numeric_limits<std::uint64_t>::max();
  m.settings.buckets_per_window = 1;
  m.settings.time = config::TimeMode::kArrival;  // every prediction at one time, inside `all`
  Result<std::vector<engine::ReferenceRow>> rows = ReadReferenceRows(m);
  if (!rows.ok()) return rows.status();
  const engine::FieldBaseline* target =
      reference.file.target ? &reference.file.target->profile : nullptr;
  auto created = engine::GroundTruth::Create(m, target, rows.value(), /*one_shot=*/true);
  if (!created.ok()) return created.status();
  engine::GroundTruth& g = *created.value();

  parse::RecordLayout layout =
      format == CurrentFormat::kRows ? parse::LayoutForRows(m) : parse::LayoutFor(m);
  layout.timestamp.reset();
  layout.timestamp_required = false;
  if (format == CurrentFormat::kRows) layout.request_id = m.record.request_id;
  auto parser = parse::RecordParser::Create(layout);
  if (!parser.ok()) return parser.status();
  Status s = parse::ForEachJsonLine(current, *parser.value(),
                                    [&](std::uint64_t, parse::ParseOutcome o, const Record& r) {
                                      if (o == parse::ParseOutcome::kOk) g.OnPrediction(r, kNow);
                                    });
  if (!s.ok()) return Status::Error("current: " + s.message());

  parse::RecordLayout label_layout = LabelLayout(m);
  label_layout.timestamp.reset();  // no time limit: label times play no part
  label_layout.timestamp_required = false;
  auto label_parser = parse::RecordParser::Create(label_layout);
  if (!label_parser.ok()) return label_parser.status();
  s = parse::ForEachJsonLine(labels, *label_parser.value(),
                             [&](std::uint64_t, parse::ParseOutcome o, const Record& r) {
                               if (o == parse::ParseOutcome::kOk) {
                                 g.OnLabel(r, kNow);
                               } else {
                                 g.OnLabelRejected(ToReject(o));
                               }
                             });
  if (!s.ok()) return Status::Error("labels: " + s.message());
  return g.Evaluate(kNow);
}

std::string CheckLabelsText(const engine::LabelsView& v) {
  const engine::JoinCounters& c = v.counters;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "model quality: %llu of %llu labels joined (%llu duplicate, %llu unknown request, "
                "%llu invalid)\n",
                static_cast<unsigned long long>(c.joined),
                static_cast<unsigned long long>(c.labels + v.invalid_labels),
                static_cast<unsigned long long>(c.unmatched_duplicate),
                static_cast<unsigned long long>(c.unmatched_unknown + v.pending_labels),
                static_cast<unsigned long long>(v.invalid_labels));
  std::string out = buf;
  auto line = [&](const char* what, const std::vector<engine::QualityMetric>& metrics) {
    if (metrics.empty()) return;
    out += std::string("  ") + what + ":";
    for (const engine::QualityMetric& q : metrics) {
      std::snprintf(buf, sizeof buf, " %s %.4g", q.name, q.value);
      out += buf;
    }
    out += "\n";
  };
  if (!v.windows.empty()) {
    line("current", v.windows[0].realised);
    line("estimated (CBPE)", v.windows[0].estimated);
  }
  line("reference", v.reference);
  return out;
}

}  // namespace modelwatch::app
