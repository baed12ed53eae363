#include "app/label_pipeline.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <modelwatch/state/baseline_file.h>

#include "app/pipeline.h"

namespace modelwatch::app {

namespace {
constexpr std::uint64_t kDaemonBytesPerPoll = 64ull << 20;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Number(std::string_view text) {
  double x = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), x);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && std::isfinite(x) ? x : kNaN;
}
}  // namespace

parse::RecordLayout LabelLayout(const config::ModelConfig& model) {
  const config::GroundTruthConfig& gt = *model.ground_truth;
  parse::RecordLayout layout;
  layout.request_id = gt.record.request_id;
  if (!gt.record.timestamp.empty()) {
    config::TimestampField ts;
    ts.path = gt.record.timestamp;
    if (model.record.timestamp) {
      ts.format = model.record.timestamp->format;
      ts.timezone_offset = model.record.timestamp->timezone_offset;  // zone-less iso8601
    }
    layout.timestamp = ts;
    layout.timestamp_required = model.settings.time == config::TimeMode::kEvent;
  }
  layout.fields.push_back({gt.record.label, gt.task == config::Task::kRegression
                                                ? config::FeatureType::kNumeric
                                                : config::FeatureType::kCategorical});
  return layout;
}

config::ModelConfig LabelShapedModel(const config::ModelConfig& model) {
  const config::GroundTruthConfig& gt = *model.ground_truth;
  config::ModelConfig m;
  m.name = model.name;
  m.settings = model.settings;
  m.record.request_id = gt.record.request_id;
  if (!gt.record.timestamp.empty()) {
    config::TimestampField ts;
    if (model.record.timestamp) ts = *model.record.timestamp;  // format and timezone
    ts.path = gt.record.timestamp;
    ts.fallback_paths.clear();
    m.record.timestamp = ts;
  }
  m.record.decode = gt.record.decode;
  m.record.batch = gt.record.batch;
  m.record.shaped = true;
  config::FeatureConfig label;
  label.name = "label";
  label.path = gt.record.label;
  label.type = gt.task == config::Task::kRegression ? config::FeatureType::kNumeric
                                                    : config::FeatureType::kCategorical;
  m.features.push_back(label);
  return m;
}

Result<std::vector<engine::ReferenceRow>> ReadReferenceRows(const config::ModelConfig& model) {
  std::vector<engine::ReferenceRow> rows;
  const config::ReferenceConfig& ref = model.reference;
  if (!model.ground_truth || ref.path.empty() || ref.target.empty() ||
      ref.format != config::ReferenceFormat::kRows || state::IsBaselineFile(ref.path)) {
    return rows;
  }
  auto parser = parse::RecordParser::Create(parse::LayoutForRows(model));
  if (!parser.ok()) return parser.status();
  const config::GroundTruthConfig& gt = *model.ground_truth;
  const std::size_t n_features = model.features.size();
  int prediction = -1;
  int score = -1;
  for (std::size_t i = 0; i < model.outputs.size(); ++i) {
    if (model.outputs[i].name == gt.prediction) prediction = static_cast<int>(n_features + i);
    if (!gt.score.empty() && model.outputs[i].name == gt.score) {
      score = static_cast<int>(n_features + i);
    }
  }
  if (prediction < 0) return rows;  // GroundTruth::Create reports it
  const std::size_t target = n_features + model.outputs.size();
  Status s = parse::ForEachJsonLine(
      ref.path, *parser.value(), [&](std::uint64_t, parse::ParseOutcome o, const Record& r) {
        if (o != parse::ParseOutcome::kOk) return;
        const FieldValue& t = r.fields[target];
        const FieldValue& p = r.fields[static_cast<std::size_t>(prediction)];
        if (t.state != ValueState::kValid || p.state != ValueState::kValid) return;
        engine::ReferenceRow row;
        row.target = std::string(t.text);
        row.target_value = Number(t.text);
        if (p.text.empty()) {
          row.predicted_value = p.number;
        } else {
          row.predicted = std::string(p.text);
          row.predicted_value = Number(p.text);
        }
        row.score = kNaN;
        if (score >= 0 && r.fields[static_cast<std::size_t>(score)].state == ValueState::kValid) {
          row.score = r.fields[static_cast<std::size_t>(score)].number;
        }
        rows.push_back(std::move(row));
      });
  if (!s.ok()) return Status::Error("model " + model.name + ": reference: " + s.message());
  return rows;
}

Result<std::unique_ptr<LabelPipeline>> LabelPipeline::Create(const config::ModelConfig& model,
                                                             const engine::FieldBaseline* target,
                                                             tail::FileSystem& fs, bool one_shot) {
  std::unique_ptr<LabelPipeline> p(new LabelPipeline());
  const config::GroundTruthConfig& gt_config = *model.ground_truth;
  p->in_line_ = gt_config.from_predictions;
  if (!gt_config.record.decode.empty() || gt_config.record.batch) {
    auto shaped = parse::ShapedParser::Create(LabelShapedModel(model));
    if (!shaped.ok()) {
      return Status::Error("model " + model.name +
                           ": ground_truth.record: " + shaped.status().message());
    }
    p->shaped_ = std::move(shaped).value();
  } else if (!p->in_line_) {
    auto parser = parse::RecordParser::Create(LabelLayout(model));
    if (!parser.ok()) return parser.status();
    p->parser_ = std::move(parser).value();
    p->record_ = p->parser_->NewRecord();
  }
  Result<std::vector<engine::ReferenceRow>> rows = ReadReferenceRows(model);
  if (!rows.ok()) return rows.status();
  auto gt = engine::GroundTruth::Create(model, target, rows.value(), one_shot);
  if (!gt.ok()) return gt.status();
  p->ground_truth_ = std::move(gt).value();

  const config::SourceConfig& src = model.ground_truth->source;
  tail::TailerOptions opts;
  opts.paths = src.paths;
  opts.exclude = src.exclude;
  opts.start_at = one_shot || src.start_at == config::StartAt::kBeginning
                      ? tail::StartAt::kBeginning
                      : tail::StartAt::kEnd;
  opts.max_line_bytes = src.max_line_bytes;
  opts.max_bytes_per_poll = one_shot ? kOneShotSliceBytes : kDaemonBytesPerPoll;
  if (one_shot) opts.read_chunk_bytes = kOneShotSliceBytes;
  p->tailer_ = std::make_unique<tail::Tailer>(fs, opts);
  return p;
}

void LabelPipeline::Poll(double now) {
  now_ = now;
  if (!in_line_) tailer_->Poll(*this);
}

void LabelPipeline::PollWith(tail::Tailer& predictions, tail::LineSink& sink,
                             const std::function<double()>& prediction_clock, double now) {
  now_ = now;
  auto read = [](tail::Tailer& t, tail::LineSink& s) {
    const std::uint64_t before = t.stats().bytes_read;
    t.Poll(s);
    return t.stats().bytes_read != before;
  };
  if (in_line_) {  // the labels are in the prediction lines
    while (read(predictions, sink)) {
    }
    return;
  }
  for (;;) {
    const bool labels_behind = ground_truth_->newest_label_time() < prediction_clock();
    bool progressed = labels_behind ? read(*tailer_, *this) : read(predictions, sink);
    if (!progressed) progressed = labels_behind ? read(predictions, sink) : read(*tailer_, *this);
    if (!progressed) return;
  }
}

void LabelPipeline::OnLine(const Line& line) {
  if (shaped_) {  // one line, one or more labels (batch rows); the line counted once
    line_rejected_ = false;
    shaped_->Parse(line, now_, *this);
    if (!line_rejected_) ground_truth_->CountLabelLine();
    return;
  }
  const parse::ParseOutcome o = parser_->Parse(line, &record_);
  if (o == parse::ParseOutcome::kOk) {
    ground_truth_->OnLabel(record_, now_);
  } else {
    ground_truth_->OnLabelRejected(ToReject(o));
  }
}

void LabelPipeline::OnShapedRecord(const Record& record) {
  ground_truth_->OnLabelRow(record, now_);
}

void LabelPipeline::OnShapedReject(parse::ParseOutcome outcome) {
  line_rejected_ = true;
  ground_truth_->OnLabelRejected(ToReject(outcome));
}

void LabelPipeline::OnLineTooLong() {
  ground_truth_->OnLabelRejected(engine::RejectReason::kLineTooLong);
}

void FillSourceFiles(const tail::Tailer& tailer, const tail::TailerStats& totals,
                     engine::SourceView* src) {
  const tail::TailerStats live = tailer.stats();
  src->files = static_cast<std::int64_t>(live.files);
  src->lag_bytes = live.lag_bytes;
  src->bytes = totals.bytes_read;
  src->rotations = totals.rotations;
  src->truncations = totals.truncations;
  src->bytes_lost_deleted = totals.bytes_lost_deleted;
  src->bytes_lost_truncated = totals.bytes_lost_truncated;
  src->bytes_lost_rotated_away = totals.bytes_lost_rotated_away;
  for (const tail::FileStatus& f : tailer.Files()) {
    src->file_list.push_back({f.path, f.position, f.size});
  }
}

std::shared_ptr<const engine::LabelsView> LabelPipeline::Evaluate(double T) const {
  std::shared_ptr<engine::LabelsView> v = ground_truth_->Evaluate(T);
  engine::SourceView& src = v->source;
  FillSourceFiles(*tailer_, tailer_->stats(), &src);
  return v;
}

}  // namespace modelwatch::app
